/** How the CLI ends: 0 done, 1 a failed outcome (pipeline or gate failed), 2 a usage or API error. */
export const EXIT = { ok: 0, failed: 1, error: 2 } as const;

/** A mistake in how the command was called or configured (exit 2). */
export class UsageError extends Error {}

/** The command worked but the outcome is a failure CI must stop on (exit 1): a failed pipeline or gate. */
export class FailedOutcome extends Error {}
