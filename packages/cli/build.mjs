/**
 * Builds the publishable package: esbuild bundles the bin and the client (commander included) into
 * dist/*.mjs, so the tarball has no runtime dependencies; tsc emits the client's declarations.
 * Run from the repository root: `npm run cli:build`.
 */
import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const here = import.meta.dirname;
const dist = path.join(here, "dist");
await rm(dist, { recursive: true, force: true });

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
execFileSync(process.execPath, [tsc, "-p", path.join(here, "tsconfig.json")], { stdio: "inherit" });
