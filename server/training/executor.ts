import { spawn } from "node:child_process";
import type { RunLogWriter } from "./logs";

export type ExecOutcome =
  | { kind: "exited"; code: number }
  | { kind: "timeout"; seconds: number }
  | { kind: "cancelled" }
  | { kind: "spawn-error"; message: string };

/**
 * Runs a shell command in its own process group, streaming stdout and stderr into the run log.
 * A timeout or cancellation stops the whole group (SIGTERM, then SIGKILL after a grace period),
 * so a script's own children do not outlive it.
 */
export function execute(args: {
  command: string;
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutSeconds: number;
  signal: AbortSignal;
  log: RunLogWriter;
}): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    let settled: ExecOutcome | null = null;
    const child = spawn(args.command, { cwd: args.cwd, env: args.env as NodeJS.ProcessEnv, shell: "/bin/sh", detached: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (d: string) => args.log.write("stdout", d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => args.log.write("stderr", d));
    const stop = (outcome: ExecOutcome) => {
      if (settled) return;
      settled = outcome;
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, sig);
        } catch {
          // The group is already gone.
        }
      };
      kill("SIGTERM");
      setTimeout(() => kill("SIGKILL"), 5000).unref();
    };
    const timer = setTimeout(() => stop({ kind: "timeout", seconds: args.timeoutSeconds }), args.timeoutSeconds * 1000);
    const onAbort = () => stop({ kind: "cancelled" });
    args.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => {
      settled ??= { kind: "spawn-error", message: err.message };
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      args.signal.removeEventListener("abort", onAbort);
      resolve(settled ?? { kind: "exited", code: code ?? 1 });
    });
  });
}

/** A one-line explanation of an unsuccessful outcome, for the run's error field. */
export function describeFailure(outcome: ExecOutcome, command: string): string | null {
  switch (outcome.kind) {
    case "exited":
      if (outcome.code === 0) return null;
      // POSIX shells answer 127 for a command that does not exist and 126 for one that cannot run.
      if (outcome.code === 127) return `command not found: ${command.split(/\s+/)[0]}`;
      if (outcome.code === 126) return `command cannot be executed: ${command.split(/\s+/)[0]}`;
      return `the command exited with code ${outcome.code}`;
    case "timeout":
      return `the command ran past its ${outcome.seconds} s timeout and was stopped`;
    case "cancelled":
      return "cancelled";
    case "spawn-error":
      return `the command could not start: ${outcome.message}`;
  }
}
