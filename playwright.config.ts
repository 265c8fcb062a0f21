import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium where present (Playwright's own download is unreachable on our machines);
// otherwise Playwright's bundled browser. CAIRN_CHROMIUM overrides both.
const chromium = process.env.CAIRN_CHROMIUM ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 2,
  retries: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  // Specs that only look at the seeded demo run first: the README walkthroughs then change it
  // (promote, roll out and back), and a look at the demo must not race them.
  projects: [
    { name: "demo", testMatch: /\/demo\.spec\.ts$/ },
    { name: "e2e", testIgnore: /\/demo\.spec\.ts$/, dependencies: ["demo"] },
  ],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: process.env.CAIRN_E2E_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
