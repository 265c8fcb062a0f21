import { AuditPage } from "./audit-page";
import { orgTitle } from "../../../_lib/titles";

export const generateMetadata = orgTitle("Audit log");

export default function Page() {
  return <AuditPage />;
}
