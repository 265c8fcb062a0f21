import { MembersPage } from "./members-page";
import { orgTitle } from "../../../_lib/titles";

export const generateMetadata = orgTitle("Members");

export default function Page() {
  return <MembersPage />;
}
