/** Champion/challenger and fairness statistics for gate checks: one import for the gate evaluation job. */
export * from "./bootstrap";
export * from "./decision";
export * from "./delong";
export * from "./distributions";
export * from "./fairness";
export * from "./paired-tests";
