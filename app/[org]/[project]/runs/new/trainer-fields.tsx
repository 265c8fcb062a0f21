"use client";

import { Select, SelectItem } from "@tremor/react";
import { Textarea, TextInput } from "../../../../_components/inputs";
import Link from "next/link";
import type { Trainer } from "@/server/training/schemas";
import { Field } from "../../../../_components/field";
import type { RouterOutputs } from "../../../../_lib/trpc";
import { PARAM_FIELDS, type BuiltinTrainer, type ParamDraft } from "./params";

type Command = RouterOutputs["training"]["commands"][number];

const TRAINERS: { value: Trainer; label: string; description: string }[] = [
  { value: "gbdt", label: "Gradient-boosted trees", description: "Histogram GBDT for regression or binary classification; strong on tabular data." },
  { value: "ridge", label: "Ridge regression", description: "A linear model with an L2 penalty; a quick baseline for numeric targets." },
  { value: "logistic", label: "Logistic regression", description: "A linear classifier for a binary (0/1, true/false) target." },
  { value: "command", label: "Project command", description: "Your own training script, run on a worker with the data and a run token." },
];

interface Props {
  trainer: Trainer;
  draft: ParamDraft;
  errors: Record<string, string>;
  commands: Command[] | undefined;
  commandId: string;
  commandParams: string;
  commandParamsError?: string;
  settingsHref: string;
  disabled: boolean;
  onTrainer: (trainer: Trainer) => void;
  onDraft: (draft: ParamDraft) => void;
  onCommand: (id: string) => void;
  onCommandParams: (text: string) => void;
}

export function TrainerFields(props: Props) {
  const { trainer, disabled, onTrainer } = props;
  return (
    <div className="space-y-4">
      <fieldset className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4" aria-label="Trainer">
        {TRAINERS.map((t) => (
          <label
            key={t.value}
            className={`flex cursor-pointer gap-2 rounded-md border px-3 py-2 text-sm ${trainer === t.value ? "border-blue-400 bg-blue-50" : "border-gray-200 hover:bg-gray-50"}`}
          >
            <input type="radio" name="trainer" value={t.value} className="mt-0.5" checked={trainer === t.value} disabled={disabled} onChange={() => onTrainer(t.value)} />
            <span>
              <span className="block font-medium text-gray-900">{t.label}</span>
              <span className="block text-xs text-gray-500">{t.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {trainer === "command" ? <CommandFields {...props} /> : <ParamFields {...props} trainer={trainer} />}
    </div>
  );
}

function ParamFields({ trainer, draft, errors, disabled, onDraft }: Props & { trainer: BuiltinTrainer }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-params={trainer}>
      {PARAM_FIELDS[trainer].map((f) => {
        const id = `param-${f.key}`;
        const value = draft[f.key] ?? "";
        const set = (v: string) => onDraft({ ...draft, [f.key]: v });
        return (
          <Field key={f.key} label={f.label} htmlFor={id} hint={f.hint} error={errors[f.key]}>
            {f.options ? (
              <Select id={id} value={value} onValueChange={set} enableClear={false} aria-label={f.label} disabled={disabled}>
                {f.options.map((o) => (
                  <SelectItem key={o} value={o}>
                    {o}
                  </SelectItem>
                ))}
              </Select>
            ) : (
              <TextInput id={id} value={value} onValueChange={set} inputMode="decimal" placeholder={f.optional ? "off" : undefined} disabled={disabled} error={!!errors[f.key]} />
            )}
          </Field>
        );
      })}
    </div>
  );
}

function CommandFields({ commands, commandId, commandParams, commandParamsError, settingsHref, disabled, onCommand, onCommandParams }: Props) {
  if (commands && commands.length === 0) {
    return (
      <p className="rounded-md border border-dashed border-gray-300 px-3 py-3 text-sm text-gray-600">
        This project has no training commands yet. An admin adds them under{" "}
        <Link href={settingsHref} className="text-blue-700 hover:underline">
          Settings → Training commands
        </Link>
        .
      </p>
    );
  }
  const chosen = commands?.find((c) => c.id === commandId);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Field label="Command" htmlFor="train-command" hint={chosen ? undefined : "One of the project's training commands."}>
        <Select id="train-command" value={commandId} onValueChange={onCommand} enableClear={false} placeholder="Pick a command" aria-label="Command" disabled={disabled || !commands}>
          {(commands ?? []).map((c) => (
            <SelectItem key={c.id} value={c.id}>
              {c.name}
            </SelectItem>
          ))}
        </Select>
        {chosen ? (
          <code className="mt-1 block truncate rounded bg-gray-100 px-2 py-1 text-xs text-gray-700" title={chosen.command}>
            $ {chosen.command}
          </code>
        ) : null}
      </Field>
      <Field label="Params (JSON, optional)" htmlFor="train-command-params" hint="Passed to the command as CAIRN_PARAMS and recorded on the run." error={commandParamsError}>
        <Textarea id="train-command-params" value={commandParams} onValueChange={onCommandParams} rows={3} placeholder='{"epochs": 20}' disabled={disabled} error={!!commandParamsError} className="font-mono text-xs" />
      </Field>
    </div>
  );
}
