"use client";

import { Field } from "../../../../../_components/field";
import { OptionSelect, TextInput } from "../../../../../_components/inputs";
import { DEPLOY_CHOICES, RETRAIN_KINDS, TRAINERS, type RuleDraft } from "../../_components/rule-draft";

type Set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => void;

/**
 * What a firing rule retrains with: a pipeline of the project, or a training spec that Cairn turns into
 * a pipeline (train → evaluate → register → gate → deploy to this monitor's deployment). Every field is
 * checked by the server, whose message the form shows.
 */
export function RetrainFields({ d, set, id, pipelines }: { d: RuleDraft; set: Set; id: (s: string) => string; pipelines: readonly string[] }) {
  return (
    <>
      <Field label="Retraining" htmlFor={id("retrain")}>
        <OptionSelect id={id("retrain")} name="rule-retrain" value={d.retrainKind} options={RETRAIN_KINDS} onChange={(v) => set("retrainKind", v)} />
      </Field>
      {d.retrainKind === "pipeline" ? (
        <Field label="Retrain with pipeline" htmlFor={id("pipeline")} hint={pipelines.length ? `Pipelines: ${pipelines.join(", ")}` : "The project has no pipelines yet."}>
          <TextInput id={id("pipeline")} value={d.retrainPipeline} onValueChange={(v) => set("retrainPipeline", v)} />
        </Field>
      ) : null}
      {d.retrainKind === "training" ? (
        <>
          <Field label="Trainer" htmlFor={id("trainer")}>
            <OptionSelect id={id("trainer")} name="rule-trainer" value={d.trainer} options={TRAINERS.map((t) => ({ value: t, label: t }))} onChange={(v) => set("trainer", v)} />
          </Field>
          {d.trainer === "command" ? (
            <Field label="Training command" htmlFor={id("command")} hint="A training command of the project, by name.">
              <TextInput id={id("command")} value={d.command} onValueChange={(v) => set("command", v)} />
            </Field>
          ) : null}
          <Field label="Target column" htmlFor={id("target")}>
            <TextInput id={id("target")} value={d.target} onValueChange={(v) => set("target", v)} />
          </Field>
          <Field label="Dataset" htmlFor={id("dataset")} hint="Blank: the dataset the served model was trained on (its newest version at each run).">
            <TextInput id={id("dataset")} value={d.dataset} onValueChange={(v) => set("dataset", v)} />
          </Field>
          <Field label="Exclude columns" htmlFor={id("exclude")} hint="Comma-separated, e.g. an id column.">
            <TextInput id={id("exclude")} value={d.exclude} onValueChange={(v) => set("exclude", v)} />
          </Field>
          <Field label="Trainer params (JSON)" htmlFor={id("params")} hint='e.g. {"rounds": 200, "maxDepth": 4}'>
            <TextInput id={id("params")} value={d.params} onValueChange={(v) => set("params", v)} />
          </Field>
          <Field label="Then deploy" htmlFor={id("deploy")} hint="Only when the gate passes; the environment's policy still applies.">
            <OptionSelect id={id("deploy")} name="rule-deploy" value={d.deploy} options={DEPLOY_CHOICES} onChange={(v) => set("deploy", v)} />
          </Field>
          {d.deploy === "canary" ? (
            <>
              <Field label="Canary steps (%)" htmlFor={id("steps")} hint="Comma-separated, ending at 100; blank: the default steps.">
                <TextInput id={id("steps")} value={d.canarySteps} onValueChange={(v) => set("canarySteps", v)} />
              </Field>
              <Field label="Bake time per step (minutes)" htmlFor={id("bake")} hint="Blank: the default.">
                <TextInput id={id("bake")} value={d.bakeMinutes} onValueChange={(v) => set("bakeMinutes", v)} inputMode="decimal" />
              </Field>
            </>
          ) : null}
        </>
      ) : null}
      {d.retrainKind !== "none" ? (
        <>
          <Field label="Retraining runs per day (at most)" htmlFor={id("budget")}>
            <TextInput id={id("budget")} value={d.maxRunsPerDay} onValueChange={(v) => set("maxRunsPerDay", v)} inputMode="numeric" />
          </Field>
          <Field label="Retraining cooldown (hours)" htmlFor={id("rcool")}>
            <TextInput id={id("rcool")} value={d.retrainCooldownHours} onValueChange={(v) => set("retrainCooldownHours", v)} inputMode="decimal" />
          </Field>
        </>
      ) : null}
    </>
  );
}
