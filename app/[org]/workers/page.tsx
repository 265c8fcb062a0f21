import { WorkersPage } from "./workers-page";
import { orgTitle } from "../../_lib/titles";

export const generateMetadata = orgTitle("Workers");

export default function Page() {
  return <WorkersPage />;
}
