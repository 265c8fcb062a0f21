import { OrgSettings } from "./org-settings";
import { orgTitle } from "../../_lib/titles";

export const generateMetadata = orgTitle("Settings");

export default function Page() {
  return <OrgSettings />;
}
