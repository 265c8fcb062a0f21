import { decisionRoute } from "../decision";

export const dynamic = "force-dynamic";

/** POST {comment?}: approves the version's latest gate report (201 with the decision). */
export const POST = decisionRoute("APPROVE");
