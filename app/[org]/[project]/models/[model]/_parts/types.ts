import type { RouterOutputs } from "../../../../../_lib/trpc";

export type ModelDetail = RouterOutputs["model"]["get"];
export type VersionRow = RouterOutputs["model"]["versions"][number];
export type AliasRow = ModelDetail["aliases"][number];
export type PromotionStatus = RouterOutputs["promotion"]["status"];
