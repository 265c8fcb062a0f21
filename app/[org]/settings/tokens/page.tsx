import { TokensPage } from "./tokens-page";
import { orgTitle } from "../../../_lib/titles";

export const generateMetadata = orgTitle("API tokens");

export default function Page() {
  return <TokensPage />;
}
