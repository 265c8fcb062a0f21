/**
 * The README's "Pipelines (cairn.yaml)" section run as written (./readme-sections.ts) against the demo,
 * after the first two blocks of "From CI and scripts" (the owner's session and the CI token): save
 * the demo pipeline, see a refused YAML's located problem, run it until it has finished or its gate
 * waits for approvals, and start a run with a signed GitHub push. The test then cancels the runs it
 * started and archives the pipeline, so no later upload of `deliveries` starts it.
 */
import { expect, test } from "../fixtures";
import { readmeSection, runSection } from "./readme-sections";

const SECTION = "## Pipelines (cairn.yaml)";

test("every command of the README's Pipelines section works as written", async ({ baseURL }) => {
  test.setTimeout(12 * 60_000);
  // Fragments (a triggers excerpt, answers shown as JSON) are illustrations; the file and the shell blocks run.
  const blocks = (await readmeSection(SECTION)).filter((b) => b.lang === "sh" || b.file !== null);
  expect(blocks.filter((b) => b.lang !== "sh").map((b) => b.file)).toEqual(["cairn.yaml"]);
  const shell = blocks.filter((b) => b.lang === "sh");
  expect(shell.length, "sh blocks in the section").toBe(5);
  const prelude = (await readmeSection("## From CI and scripts")).filter((b) => b.lang === "sh").slice(0, 2);
  const { stdout: out } = await runSection({
    blocks,
    prelude,
    env: { CAIRN_URL: baseURL!, CAIRN_PASSWORD: process.env.CAIRN_E2E_DEMO_PASSWORD!, CAIRN_EMAIL: "", CAIRN_TOKEN: "" },
    // Leave nothing running: cancel this pipeline's unfinished runs, then archive it.
    epilogue: `
for n in $(curl -sS --fail-with-body "$P/eta-retrain/runs?org=acme-logistics" -H "Authorization: Bearer $CAIRN_TOKEN" | jq -r '.[] | select(.status == "QUEUED" or .status == "RUNNING") | .number'); do
  curl -sS --fail-with-body -o /dev/null -X POST "$P/eta-retrain/runs/$n/cancel?org=acme-logistics" -H "Authorization: Bearer $CAIRN_TOKEN"
done
curl -sS --fail-with-body -o /dev/null -b "$jar" -X POST -H 'content-type: application/json' "$CAIRN_URL/api/trpc/pipeline.archive" \
  -d "{\\"json\\":{\\"projectId\\":\\"$CAIRN_PROJECT_ID\\",\\"pipelineId\\":\\"$PIPELINE_ID\\"}}"
echo "cleaned up"`,
    timeoutMs: 11 * 60_000,
  });
  expect(out.match(/^::block \d+$/gm)).toHaveLength(shell.length);
  expect(out).toMatch(/^\{"name":"eta-retrain","revision":\d+,"nextCron":"\d{4}-\d\d-\d\dT03:00:00\.000Z"\}$/m);
  expect(out).toContain('[{"line":5,"column":13,"path":"steps[0].needs[0]","message":"needs \\"tests\\": no step has that id"}]');
  // The run got through training, evaluation and registration; the demo's gate then fails or waits for an approval.
  const runLine = /^run #\d+: (\w+)$/m.exec(out);
  expect(runLine?.[1]).toMatch(/^(FAILED|RUNNING)$/);
  for (const step of ["validate", "train", "evaluate", "register"]) expect(out).toMatch(new RegExp(`^ {2}${step} (SUCCEEDED|CACHED)$`, "m"));
  expect(out).toMatch(/^ {2}gate (FAILED|RUNNING)$/m);
  expect(out).toMatch(/^ {2}deploy (SKIPPED|PENDING)$/m);
  expect(out).toMatch(/^http:\/\/\S+\/api\/v1\/hooks\/pipelines\/[a-z0-9]+\/github$/m);
  expect(out).toMatch(/^\{"ok":true,"run":\d+\}$/m);
  expect(out).toMatch(/^cleaned up$/m);
});
