import { isPending } from "./polling";

interface VersionState {
  profileStatus: string;
  profileError: string | null;
  validation: string;
}

/** Why training refuses a version (server/datasets/versions.ts assertUsableVersion), or null when it can use it. */
export function unusableReason(v: VersionState): string | null {
  if (v.profileStatus === "FAILED") return `Profiling failed${v.profileError ? ` (${v.profileError})` : ""}; training needs a profiled version.`;
  if (isPending(v)) return "Still being profiled and validated; it becomes selectable when the worker is done.";
  if (v.validation === "FAILED") return "Failed validation against the dataset's data contract; training refuses it until the data or the contract is fixed.";
  return null;
}
