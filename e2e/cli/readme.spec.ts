/**
 * The README's "The cairn CLI" section run as written (../api/readme-sections.ts): the tarball built
 * by `npm run cli:pack` in this checkout and installed with `npm install -g --offline` into a folder
 * of this test, then every command of the section against the running demo, after the first two
 * blocks of "From CI and scripts" (the owner's session and the CI token), as the section says.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "../fixtures";
import { readmeSection, runSection } from "../api/readme-sections";

const SECTION = "## The cairn CLI";

test("every command of the README's 'The cairn CLI' section works as written", async ({ baseURL }) => {
  test.setTimeout(15 * 60_000);
  const blocks = await readmeSection(SECTION);
  const shell = blocks.filter((b) => b.lang === "sh");
  expect(shell.length, "sh blocks in the section").toBeGreaterThanOrEqual(5);
  expect(blocks.filter((b) => b.lang !== "sh").map((b) => b.file)).toEqual(["cairn.yaml", "nightly.mts", "cairn.yml"]);
  // The workflow shown is the example the workflow test runs, word for word.
  const workflow = blocks.find((b) => b.file === "cairn.yml")!.body;
  expect(workflow).toBe(await readFile("examples/github-actions/cairn.yml", "utf8"));

  const prelude = (await readmeSection("## From CI and scripts")).filter((b) => b.lang === "sh").slice(0, 2);
  const prefix = await mkdtemp(path.join(os.tmpdir(), "cairn-npm-"));
  const { stdout: out } = await runSection({
    blocks,
    prelude,
    env: {
      CAIRN_URL: baseURL!,
      CAIRN_PASSWORD: process.env.CAIRN_E2E_DEMO_PASSWORD!,
      CAIRN_EMAIL: "",
      CAIRN_TOKEN: "",
      CAIRN_SRC: path.resolve("."),
      // `npm install -g` goes to a folder of this test (its bin first on PATH), never the machine's.
      npm_config_prefix: prefix,
      PATH: `${path.join(prefix, "bin")}:${path.resolve("node_modules/.bin")}:${process.env.PATH}`,
      HOME: prefix,
    },
    timeoutMs: 14 * 60_000,
  });
  expect(out.match(/^::block \d+$/gm)).toHaveLength(shell.length);

  expect(out).toMatch(/^0\.1\.0$/m);
  expect(out).toMatch(/^Logged in to http:\/\/\S+ as token ci \(cairn_\S+…\), MEMBER in project [a-z0-9]+$/m);
  expect(out).toMatch(/^\{"kind":"token","role":"MEMBER"\}$/m);
  expect(out).toMatch(/^bad token: exit 2$/m);
  expect(out).toMatch(/^\{"number":\d+,"rows":\d+\}$/m);
  expect(out).toMatch(/^\{"status":"FINISHED","params":\{"lr":0\.1,"optimizer":"adam"\},"metrics":\[\{"key":"loss","count":4,"last":0\.3\}\]\}$/m);
  expect(out).toMatch(/^push broken\.yaml: exit 2$/m);
  expect(out).toMatch(/^eta-cli: revision \d+ saved/m);
  expect(out).toMatch(/^ {2}gate +SUCCEEDED/m);
  expect(out).toMatch(/^eta-cli run #\d+: SUCCEEDED/m);
  expect(out).toMatch(/^gate of eta-cli-\d+ v1: passed$/m);
  expect(out).toMatch(/^ {2}pass +thresholds/m);
  expect(out).toMatch(/^\{"status":"SUCCEEDED","version":1,"passed":true\}$/m);
  expect(out).toMatch(/^eta-cli-\d+: champion is now v1$/m);
  expect(out).toMatch(/^\{"status":"SUCCEEDED","version":2\}$/m);
  expect(out).toMatch(/^eta-cli-\d+: champion is now v2$/m);
  expect(out).toMatch(/^eta-cli-\d+: rolled back, champion is now v1$/m);
  expect(out).toMatch(/^\{"name":"eta","environment":"production","model":"eta-gbdt"\}$/m);
  // The client, installed from the same tarball into the folder, logged a run and read the pipeline.
  expect(out).toMatch(/^FINISHED loss:50 SUCCEEDED$/m);
});
