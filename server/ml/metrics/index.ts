/** Model evaluation metrics: one import for the evaluation job and the report's types. */
export * from "./types";
export * from "./regression";
export * from "./binary";
export * from "./curves";
export * from "./slices";
export * from "./fairness";
export * from "./robustness";
export * from "./report";
export * from "./importance";
