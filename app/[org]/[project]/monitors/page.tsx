import { projectTitle } from "../../../_lib/titles";
import { MonitorsPage } from "./monitors-page";

export const dynamic = "force-dynamic";
export const generateMetadata = projectTitle("Monitors");

export default function Page() {
  return <MonitorsPage />;
}
