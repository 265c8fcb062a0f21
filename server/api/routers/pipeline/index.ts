import { createTRPCRouter } from "../../trpc";

/** Pipelines, their runs and triggers (issue 13). Procedures live in files beside this one. */
export const pipelineRouter = createTRPCRouter({});
