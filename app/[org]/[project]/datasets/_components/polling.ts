/**
 * Profiling and validation finish within seconds of an upload; while any shown version is still
 * pending the page asks again every second, and stops once everything has settled.
 */
export const POLL_MS = 1_000;

interface VersionState {
  profileStatus: string;
  validation: string;
}

export const isPending = (v: VersionState) => v.profileStatus === "PENDING" || v.validation === "PENDING";

export function pollWhilePending<T>(pending: (data: T) => boolean) {
  return (query: { state: { data: T | undefined } }) => (query.state.data !== undefined && pending(query.state.data) ? POLL_MS : false);
}
