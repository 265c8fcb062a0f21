import { createTRPCRouter } from "../../trpc";
import { defaultPolicy, diff, policy, revisions, savePolicy } from "./policy";
import { compare, report, reports, run } from "./reports";

/** Gate policies (form and YAML, revisions) and gate reports (issue 11). */
export const gateRouter = createTRPCRouter({ policy, revisions, diff, savePolicy, defaultPolicy, run, reports, report, compare });
