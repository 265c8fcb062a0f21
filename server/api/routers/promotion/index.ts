import { createTRPCRouter } from "../../trpc";
import { approvals } from "./approvals";
import { approve, reject } from "./decide";
import { override, promote, rollback } from "./promote";
import { status } from "./status";

/** Approvals, promotion to champion, rollback and the alias history (issue 11). */
export const promotionRouter = createTRPCRouter({ status, approvals, approve, reject, promote, override, rollback });
