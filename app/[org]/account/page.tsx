import { AccountPage } from "./account-page";
import { orgTitle } from "../../_lib/titles";

export const generateMetadata = orgTitle("Account");

export default function Page() {
  return <AccountPage />;
}
