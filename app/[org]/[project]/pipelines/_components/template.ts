/**
 * The YAML a new pipeline starts from: the whole chain on one of the project's datasets (the demo's
 * `deliveries`, predicting `minutes`, when the project has it), so a first save and run work as they are.
 */
export function pipelineTemplate(dataset: string | null): string {
  const demo = dataset === null || dataset === "deliveries";
  const ds = dataset ?? "deliveries";
  return `# cairn.yaml: retrain when new data arrives, and every night.
name: ${demo ? "eta-retrain" : `${ds}-retrain`}
description: Validate the new data, train, evaluate, register and gate the model.
params:
  rounds: 200
triggers:
  - dataset: ${ds}            # every new version of the dataset
  - cron: "0 3 * * *"         # every day at 03:00 UTC
concurrency: queue            # or cancel-previous
budget: { maxRunsPerDay: 10 }
steps:
  - id: validate
    uses: validate-data
    with: { dataset: ${ds} }
  - id: train
    uses: train
    timeout: 30m
    with:
      trainer: gbdt
      target: ${demo ? "minutes" : "target"}            # the column to predict${demo ? "\n      exclude: [delivery_id]" : ""}
      params: { rounds: "\${{ params.rounds }}" }
  - { id: evaluate, uses: evaluate, with: { split: test } }
  - { id: register, uses: register, with: { model: ${demo ? "eta-gbdt" : `${ds}-model`} } }
  - { id: gate, uses: gate }${demo ? "\n  # Then roll the gated version out to the demo's deployment:\n  # - { id: deploy, uses: deploy, if: gate.passed, with: { deployment: eta, strategy: canary, steps: [10, 50, 100] } }" : ""}
`;
}
