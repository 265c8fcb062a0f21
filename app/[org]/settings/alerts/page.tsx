import { AlertsPage } from "./alerts-page";
import { orgTitle } from "../../../_lib/titles";

export const generateMetadata = orgTitle("Alerts");

export default function Page() {
  return <AlertsPage />;
}
