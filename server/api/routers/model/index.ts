import { createTRPCRouter } from "../../trpc";

/** Registered models, versions, aliases and comparison (issue 11). */
export const modelRouter = createTRPCRouter({});
