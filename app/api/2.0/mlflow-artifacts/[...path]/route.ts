import { mlflowRoute } from "@/server/mlflow/http";
import { ARTIFACTS, ARTIFACTS_BASE } from "@/server/mlflow/router";

export const dynamic = "force-dynamic";

/** MLflow's artifact proxy on Cairn's run artifacts. */
const handler = mlflowRoute(ARTIFACTS_BASE, ARTIFACTS);

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
