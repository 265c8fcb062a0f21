/**
 * Builds the publishable package: esbuild bundles the bin and the client (commander included) into
 * dist/*.mjs, so the tarball has no runtime dependencies; tsc emits the client's declarations.
 * Run from the repository root: `npm run cli:build`. `node build.mjs DIR` stages the whole package in
 * DIR instead (package.json, README.md, dist/), so tests can pack it without touching this folder.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const here = import.meta.dirname;
const target = path.resolve(process.argv[2] ?? here);
const dist = path.join(target, "dist");
await rm(dist, { recursive: true, force: true });
if (target !== here) {
  await mkdir(target, { recursive: true });
  for (const file of ["package.json", "README.md"]) await copyFile(path.join(here, file), path.join(target, file));
}

const common = { bundle: true, platform: "node", format: "esm", target: "node20", legalComments: "inline", logLevel: "warning" };
await build({
  ...common,
  entryPoints: [path.join(here, "src/cairn.ts")],
  outfile: path.join(dist, "cairn.mjs"),
  // commander is CommonJS: its require() of node built-ins needs a real require inside the ES module.
  banner: { js: '#!/usr/bin/env node\nimport { createRequire as __cairnRequire } from "node:module";\nconst require = __cairnRequire(import.meta.url);' },
});
await build({ ...common, entryPoints: [path.join(here, "src/client.ts")], outfile: path.join(dist, "client.mjs") });

const tsc = path.resolve(here, "../../node_modules/typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", path.join(here, "tsconfig.json"), "--outDir", path.join(dist, "types")], { stdio: "inherit" });
