import type { RouterOutputs } from "../../../../_lib/trpc";

export type RunRow = RouterOutputs["run"]["list"]["runs"][number];
export type RunDetail = RouterOutputs["run"]["get"];
export type CompareData = RouterOutputs["run"]["compare"];
