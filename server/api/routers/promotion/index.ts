import { createTRPCRouter } from "../../trpc";

/** Approvals, promotion to champion, rollback and the alias history (issue 11). */
export const promotionRouter = createTRPCRouter({});
