import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { spawn } from "node:child_process";
import { ROOT } from "./paths";

const INPUTS = ["app", "server", "public"];
const FILES = ["next.config.ts", "tailwind.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const STAMP = path.join(ROOT, ".next", "cairn-source-hash");

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name === "generated") continue;
      yield* walk(full);
    } else if (!/\.(test|int\.test)\.tsx?$/.test(entry.name)) {
      yield full;
    }
  }
}

/** Hash of everything the Next build reads, so `npm start` rebuilds only after a change. */
export async function sourceHash(): Promise<string> {
  const hash = createHash("sha256");
  const files: string[] = [];
  for (const dir of INPUTS) for await (const f of walk(path.join(ROOT, dir))) files.push(f);
  files.push(...FILES.map((f) => path.join(ROOT, f)).filter((f) => existsSync(f)));
  for (const file of files.sort()) {
    hash.update(path.relative(ROOT, file));
    hash.update(await readFile(file));
  }
  return hash.digest("hex");
}

/** Runs `next build` when the sources changed since the last build. */
export async function ensureBuild(log: (line: string) => void): Promise<void> {
  const wanted = await sourceHash();
  const built = existsSync(path.join(ROOT, ".next", "BUILD_ID")) ? await readFile(STAMP, "utf8").catch(() => "") : "";
  if (built === wanted) return;
  log("Building the web app (first start or sources changed; takes a minute or two)…");
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed with exit code ${code}`))));
  });
  await writeFile(STAMP, wanted);
  log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
}
