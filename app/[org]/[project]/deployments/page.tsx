import { servePublicUrl } from "@/server/serving/schemas";
import { projectTitle } from "../../../_lib/titles";
import { DeploymentsPage } from "./deployments-page";

export const generateMetadata = projectTitle("Deployments");

export default function Page() {
  return <DeploymentsPage serveUrl={servePublicUrl()} />;
}
