/**
 * The TypeScript client lives in the installable package packages/cli (`@cairn-ml/cli`, no
 * dependencies, no server imports); this path keeps working for code inside the repository.
 */
export * from "../../packages/cli/src/client";
