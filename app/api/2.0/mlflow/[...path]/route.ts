import { mlflowRoute } from "@/server/mlflow/http";
import { TRACKING, TRACKING_BASE } from "@/server/mlflow/router";

export const dynamic = "force-dynamic";

/** MLflow's tracking and registry REST API on Cairn's runs and registry (see README "MLflow-compatible API"). */
const handler = mlflowRoute(TRACKING_BASE, TRACKING);

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
