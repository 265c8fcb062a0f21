import { expect, type Page } from "@playwright/test";

/** Pipeline runs train through the one worker shared by every spec: generous, not tight. */
export const PIPELINE_TIMEOUT = 180_000;

/** validate-data → train on the deliveries dataset, with a cron trigger; `needs` as given (a typo makes the YAML wrong on line 12). */
export function smallPipeline(needs: string): string {
  return `name: eta-nightly
params:
  rounds: 20
triggers:
  - cron: "0 3 * * *"
steps:
  - id: validate
    uses: validate-data
    with: { dataset: deliveries }
  - id: train
    uses: train
    needs: [${needs}]
    with:
      trainer: gbdt
      target: minutes
      exclude: [delivery_id]
      params: { rounds: "\${{ params.rounds }}", maxDepth: 10, minLeaf: 1 }
`;
}

/**
 * Records every state each step box of the run page shows, from now on, into window.__stepStates:
 * a step can pass through a state between two of the test's own looks.
 */
export async function recordStepStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __stepStates: Record<string, string[]> };
    w.__stepStates = {};
    setInterval(() => {
      for (const el of document.querySelectorAll("[data-step][data-step-state]")) {
        const id = el.getAttribute("data-step")!;
        const state = el.getAttribute("data-step-state")!;
        const seen = (w.__stepStates[id] ??= []);
        if (seen[seen.length - 1] !== state) seen.push(state);
      }
    }, 50);
  });
}

export const stepStates = (page: Page) => page.evaluate(() => (window as unknown as { __stepStates: Record<string, string[]> }).__stepStates);

/** The run page's overall state, once it is `state`. */
export async function expectRunState(page: Page, state: string, timeout = PIPELINE_TIMEOUT) {
  await expect(page.locator(`[data-run-state="${state}"]`)).toBeVisible({ timeout });
}

/** A screenshot from the top of the page under the name the pipeline pages are reviewed by. */
export async function pipelineShot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/pipelines-${name}.png`, fullPage: true });
}
