/**
 * Node flags of the web process. A small young generation: streaming uploads make short-lived
 * garbage, and V8's default lets the process grow by ~100 MB before collecting it (bench/upload.ts:
 * 351 → 264 MB peak for a 131 MB upload, at the same throughput).
 */
export const WEB_NODE_FLAGS = ["--max-semi-space-size=4"];
