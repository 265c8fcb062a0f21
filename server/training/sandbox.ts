/**
 * The sandbox every training command runs in (bubblewrap). A command is code that any project ADMIN
 * can save, so it is treated as hostile: it sees a fresh root with the system folders and the install
 * folder read-only, its own run folder (data splits, output) writable, no data folder (secrets,
 * Postgres files, artifact store), no other run's folder, its own PID namespace, a minimal environment,
 * and, when the worker runs as root, an unprivileged uid. It keeps the host network, so it can reach
 * Cairn's API with its run token (and whatever else the host can reach).
 */
import { existsSync, lstatSync, readdirSync, readlinkSync } from "node:fs";
import { chown, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../errors";

const ZPositive = z.coerce.number().int().min(1);

/** Installation settings of the sandbox and its limits; README "Configuration" documents each. */
const ZSandboxEnv = z.object({
  CAIRN_SANDBOX: z.enum(["on", "off"]).default("on"),
  CAIRN_SANDBOX_UID: z.coerce.number().int().min(1).max(2 ** 31).default(65534),
  CAIRN_SANDBOX_GID: z.coerce.number().int().min(1).max(2 ** 31).default(65534),
  /** Extra read-only folders for interpreters installed outside /usr (e.g. /opt/conda), comma-separated. */
  CAIRN_SANDBOX_BIND: z.string().default(""),
  CAIRN_COMMAND_MAX_TIMEOUT_SECONDS: ZPositive.default(24 * 3600),
  CAIRN_COMMAND_CPU_SECONDS: ZPositive.default(24 * 3600),
  CAIRN_COMMAND_MEMORY_MB: ZPositive.default(8192),
  CAIRN_COMMAND_MAX_FILE_MB: ZPositive.default(4096),
  CAIRN_COMMAND_DISK_MB: ZPositive.default(10_240),
  CAIRN_COMMAND_MAX_PROCESSES: ZPositive.default(512),
});
export type SandboxSettings = z.infer<typeof ZSandboxEnv>;

/** Read at each use (cheap), so a worker's settings are what its environment says now. */
export function sandboxSettings(source: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const parsed = ZSandboxEnv.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid sandbox setting: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** The installation's cap on a command's timeout, checked when a command is saved and again when it runs. */
export const maxCommandTimeoutSeconds = () => sandboxSettings().CAIRN_COMMAND_MAX_TIMEOUT_SECONDS;

function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(path.delimiter)) {
    const full = path.join(dir, program);
    if (dir && existsSync(full)) return full;
  }
  return null;
}

const inside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
};

// Variables a command must not inherit from the worker when the sandbox is off: database and store credentials, Cairn's own secrets.
const PRIVATE_ENV = /^(DATABASE_URL|NEXTAUTH_SECRET|AUTH_SECRET|CAIRN_SECRET_KEY|PG.*|AWS_.*|CAIRN_DEMO_PASSWORD)$/;

export interface SandboxedCommand {
  argv: string[];
  /** For the run log: how the command is confined. */
  describe: string;
  env: Record<string, string>;
  /** The run folder must not grow past this many bytes (the executor watches it). */
  diskLimitBytes: number;
  timeoutSeconds: number;
}

/**
 * The argv that runs `command` in the sandbox, or, with CAIRN_SANDBOX=off, in a plain shell. Refuses
 * (the run fails with the reason) when bubblewrap is missing and the installation did not opt out.
 */
export function sandboxCommand(args: {
  command: string;
  /** The install folder, visible read-only. */
  root: string;
  /** The run's private folder (splits and output), the only writable place besides a small /tmp. */
  runDir: string;
  cwd: string;
  /** Folders the command must never see even where they lie inside a visible one. */
  hidden: string[];
  env: Record<string, string>;
  timeoutSeconds: number;
  hostname: string;
}): SandboxedCommand {
  const s = sandboxSettings();
  const timeoutSeconds = Math.min(args.timeoutSeconds, s.CAIRN_COMMAND_MAX_TIMEOUT_SECONDS);
  const diskLimitBytes = s.CAIRN_COMMAND_DISK_MB * 1024 * 1024;
  const limits = [`--as=${s.CAIRN_COMMAND_MEMORY_MB * 1024 * 1024}`, `--cpu=${s.CAIRN_COMMAND_CPU_SECONDS}`, `--fsize=${s.CAIRN_COMMAND_MAX_FILE_MB * 1024 * 1024}`];
  const prlimit = onPath("prlimit");
  if (s.CAIRN_SANDBOX === "off") {
    const shell = ["/bin/sh", "-c", args.command];
    const base = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !PRIVATE_ENV.test(e[0])));
    const describe = "NOT sandboxed (CAIRN_SANDBOX=off): the command runs as the worker's user";
    return { argv: prlimit ? [prlimit, ...limits, "--", ...shell] : shell, describe, env: { ...base, ...args.env }, diskLimitBytes, timeoutSeconds };
  }
  const bwrap = onPath("bwrap");
  if (!bwrap) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Training commands run in a bubblewrap sandbox, and bwrap is not installed on worker ${args.hostname}: install it (Debian/Ubuntu: apt-get install bubblewrap), or set CAIRN_SANDBOX=off on a single-user install whose command authors you trust with the whole host`,
    );
  }
  if (!prlimit) throw new AppError("PRECONDITION_FAILED", `prlimit (util-linux) is missing on worker ${args.hostname}; the sandbox needs it to apply the installation's limits`);
  const root = path.resolve(args.root);
  const runDir = path.resolve(args.runDir);
  const cwd = path.resolve(args.cwd);
  if (!inside(cwd, root) && !inside(cwd, runDir)) throw new AppError("BAD_REQUEST", `The command's working directory must lie inside the install folder: ${cwd}`);
  const asRoot = process.getuid?.() === 0;
  const setpriv = asRoot ? onPath("setpriv") : null;
  if (asRoot && !setpriv) throw new AppError("PRECONDITION_FAILED", `setpriv (util-linux) is missing on worker ${args.hostname}; the sandbox needs it to drop root`);

  const visible = [root];
  const bwrapArgs = [
    // No user namespace when root: the command gets a real unprivileged uid below instead.
    ...(asRoot ? [] : ["--unshare-user"]),
    "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
    // The executor's spawn already starts a new session (no controlling terminal to inject into).
    "--die-with-parent",
    "--ro-bind", "/usr", "/usr",
    "--ro-bind-try", "/etc", "/etc",
    "--proc", "/proc",
    "--dev", "/dev",
    "--perms", "1777", "--size", String(Math.min(diskLimitBytes, 1024 ** 3)), "--tmpfs", "/tmp",
    "--perms", "0755", "--dir", "/var",
    "--perms", "1777", "--tmpfs", "/var/tmp",
  ];
  // bwrap creates missing parents of a mount point as 0700 root, which the sandbox uid cannot cross.
  const made = new Set(["/", "/usr", "/etc", "/proc", "/dev", "/tmp", "/var", "/var/tmp"]);
  const parents = (dir: string) => {
    const out: string[] = [];
    for (let p = path.dirname(dir); !made.has(p); p = path.dirname(p)) {
      made.add(p);
      out.unshift("--perms", "0755", "--dir", p);
    }
    return out;
  };
  for (const link of ["bin", "lib", "lib64", "lib32", "sbin"]) {
    bwrapArgs.push(...usrMerged(link));
  }
  bwrapArgs.push(...parents(root), "--ro-bind", root, root);
  for (const extra of s.CAIRN_SANDBOX_BIND.split(",").map((p) => p.trim()).filter(Boolean)) {
    const dir = path.resolve(extra);
    if (existsSync(dir)) {
      bwrapArgs.push(...parents(dir), "--ro-bind", dir, dir);
      visible.push(dir);
    }
  }
  // The data folder (secrets, Postgres, artifacts) and .env files often sit inside the install folder.
  for (const dir of args.hidden.map((h) => path.resolve(h))) {
    if (existsSync(dir) && visible.some((v) => inside(dir, v))) bwrapArgs.push("--tmpfs", dir);
  }
  for (const file of envFiles(root)) bwrapArgs.push("--ro-bind", "/dev/null", file);
  bwrapArgs.push(...parents(runDir), "--bind", runDir, runDir, "--chdir", cwd);
  if (asRoot) {
    // Enough to switch users inside, then setpriv drops every capability for good.
    bwrapArgs.push("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP");
  }
  const drop = setpriv
    ? [setpriv, `--reuid=${s.CAIRN_SANDBOX_UID}`, `--regid=${s.CAIRN_SANDBOX_GID}`, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    : [];
  // RLIMIT_NPROC counts processes per real uid, so it only means something once the uid is the sandbox's.
  const nproc = asRoot ? [`--nproc=${s.CAIRN_COMMAND_MAX_PROCESSES}`] : [];
  const argv = [
    prlimit, ...limits, ...nproc, "--",
    bwrap, ...bwrapArgs, "--", ...drop, "/bin/sh", "-c", args.command,
  ];
  const env = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    LANG: process.env.LANG ?? "C.UTF-8",
    HOME: runDir,
    TMPDIR: "/tmp",
    ...args.env,
  };
  const describe = `sandboxed${asRoot ? ` as uid ${s.CAIRN_SANDBOX_UID}` : ""}, ${s.CAIRN_COMMAND_MEMORY_MB} MiB memory, ${s.CAIRN_COMMAND_DISK_MB} MiB disk`;
  return { argv, describe, env, diskLimitBytes, timeoutSeconds };
}

/** On a merged-/usr system /bin is a link into /usr; elsewhere the folder itself is bound read-only. */
function usrMerged(name: string): string[] {
  const host = `/${name}`;
  if (!existsSync(host)) return [];
  return lstatSync(host).isSymbolicLink() ? ["--symlink", readlinkSync(host), host] : ["--ro-bind", host, host];
}

function envFiles(root: string): string[] {
  try {
    return readdirSync(root).filter((f) => /^\.env(\..*)?$/.test(f)).map((f) => path.join(root, f));
  } catch {
    return [];
  }
}

/** Hands the run folder to the sandbox uid (when the worker is root), so the command can write its outputs. */
export async function prepareRunDir(dir: string): Promise<void> {
  const s = sandboxSettings();
  if (s.CAIRN_SANDBOX === "off" || process.getuid?.() !== 0) return;
  const walk = async (p: string) => {
    await chown(p, s.CAIRN_SANDBOX_UID, s.CAIRN_SANDBOX_GID);
    if ((await stat(p)).isDirectory()) for (const e of await readdir(p)) await walk(path.join(p, e));
  };
  await walk(dir);
}

/** Bytes under `dir` (files only, links not followed). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) total += (await stat(full).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(dir);
  return total;
}
