import { z } from "zod";
import { listWorkers } from "../../fleet/workers";
import { ZWorkerDto, ZWorkerListInput } from "../../fleet/schemas";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const workerRouter = createTRPCRouter({
  /** Worker hosts are shared infrastructure, so any signed-in caller may see them; they hold no tenant data. */
  list: protectedProcedure
    .input(ZWorkerListInput)
    .output(z.array(ZWorkerDto))
    .query(({ input }) => listWorkers(input.includeOffline)),
});
