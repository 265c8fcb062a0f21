/**
 * `npm run start:web`: the web server alone, for hosts behind a load balancer. Needs DATABASE_URL
 * and NEXTAUTH_SECRET (shared by every web host); run `npm run db:migrate` once per release.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureBuild } from "./lib/build";
import { ROOT } from "./lib/paths";
import { WEB_NODE_FLAGS } from "./lib/web-flags";

for (const name of ["DATABASE_URL", "NEXTAUTH_SECRET"]) {
  if (!process.env[name]) {
    console.error(`[cairn] ${name} must be set for start:web (see README, "Several hosts").`);
    process.exit(2);
  }
}
if (process.env.CAIRN_SKIP_BUILD !== "1") await ensureBuild((line) => console.log(`[cairn] ${line}`));
// Node itself, not the tsx CLI, which would SIGKILL a server that does not answer SIGTERM within 30 ms.
const child = spawn(process.execPath, [...WEB_NODE_FLAGS, "--import", "tsx", path.join(ROOT, "scripts", "web-server.ts")], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
