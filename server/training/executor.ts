import { spawn } from "node:child_process";
import type { RunLogWriter } from "./logs";
import { folderBytes } from "./sandbox";

export type ExecOutcome =
  | { kind: "exited"; code: number }
  | { kind: "timeout"; seconds: number }
  | { kind: "cancelled" }
  | { kind: "disk-limit"; bytes: number }
  | { kind: "spawn-error"; message: string };

/**
 * Runs a program (argv) in its own process group, streaming stdout and stderr into the run log.
 * A timeout, cancellation or a folder grown past its limit stops the whole group (SIGTERM, then
 * SIGKILL after a grace period), so a script's own children do not outlive it.
 */
export function execute(args: {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutSeconds: number;
  signal: AbortSignal;
  log: RunLogWriter;
  /** Checked every few seconds: a command that fills the disk is stopped. */
  diskLimit?: { dir: string; maxBytes: number };
}): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    let settled: ExecOutcome | null = null;
    const [file, ...rest] = args.argv;
    const child = spawn(file!, rest, { cwd: args.cwd, env: args.env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
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
    const limit = args.diskLimit;
    const diskWatch = limit
      ? setInterval(() => {
          void folderBytes(limit.dir).then((bytes) => bytes > limit.maxBytes && stop({ kind: "disk-limit", bytes }));
        }, 2000)
      : null;
    const onAbort = () => stop({ kind: "cancelled" });
    args.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => {
      settled ??= { kind: "spawn-error", message: err.message };
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (diskWatch) clearInterval(diskWatch);
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
      // 128 + signal: SIGXCPU and SIGXFSZ come from the installation's limits (CAIRN_COMMAND_*).
      if (outcome.code === 128 + 24) return "the command used up its CPU time limit (CAIRN_COMMAND_CPU_SECONDS) and was stopped";
      if (outcome.code === 128 + 25) return "the command wrote a file larger than the limit (CAIRN_COMMAND_MAX_FILE_MB)";
      return `the command exited with code ${outcome.code}`;
    case "timeout":
      return `the command ran past its ${outcome.seconds} s timeout and was stopped`;
    case "cancelled":
      return "cancelled";
    case "disk-limit":
      return `the command's folder grew to ${Math.round(outcome.bytes / 2 ** 20)} MiB, past the limit (CAIRN_COMMAND_DISK_MB), and was stopped`;
    case "spawn-error":
      return `the command could not start: ${outcome.message}`;
  }
}
