import { createTRPCRouter } from "../../trpc";

/** Gate policies (form and YAML, revisions) and gate reports (issue 11). */
export const gateRouter = createTRPCRouter({});
