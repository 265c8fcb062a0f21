import type { RouterOutputs } from "../../../../../../_lib/trpc";

export type VersionDetail = RouterOutputs["model"]["version"];
