import { createTRPCRouter } from "../../trpc";
import { ab, shadow } from "./analysis";
import { abort, create, pause, promote, replace, resume, rollback, setCandidate, switchTraffic } from "./changes";
import { createEnvironment, environments, removeEnvironment, updateEnvironmentPolicy } from "./environments";
import { get, ledger, list, verifyLedger } from "./read";
import { advance, health } from "./rollout";
import { servingUrl } from "./serving-url";

/** Environments, deployments, traffic splits and the deployment ledger (issue 12). */
export const deploymentRouter = createTRPCRouter({
  environments,
  createEnvironment,
  updateEnvironment: updateEnvironmentPolicy,
  deleteEnvironment: removeEnvironment,
  list,
  get,
  ledger,
  verifyLedger,
  servingUrl,
  shadow,
  ab,
  create,
  replace,
  setCandidate,
  switch: switchTraffic,
  pause,
  resume,
  abort,
  promote,
  rollback,
  advance,
  health,
});
