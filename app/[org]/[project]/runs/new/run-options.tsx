"use client";

import { Select, SelectItem } from "@tremor/react";
import { TextInput } from "../../../../_components/inputs";
import { Field } from "../../../../_components/field";
import { Toggle } from "../_components/toggle";

export interface RunOptions {
  resource: "cpu" | "gpu";
  experiment: string;
  name: string;
  evaluate: boolean;
  sliceColumn: string;
  sensitiveColumn: string;
}

/** A column that may be left unset: Tremor's Select cannot hold "", so "none" stands for it. */
const NONE = "__none__";

/** A Select of `columns` plus "None", which stands for the empty string. */
export function OptionalColumn({ id, label, hint, value, columns, disabled, onChange }: { id: string; label: string; hint?: string; value: string; columns: string[]; disabled: boolean; onChange: (v: string) => void }) {
  return (
    <Field label={label} htmlFor={id} hint={hint}>
      <Select id={id} value={value || NONE} onValueChange={(v) => onChange(v === NONE ? "" : v)} enableClear={false} aria-label={label} disabled={disabled}>
        {[
          <SelectItem key={NONE} value={NONE}>
            None
          </SelectItem>,
          ...columns.map((c) => (
            <SelectItem key={c} value={c}>
              {c}
            </SelectItem>
          )),
        ]}
      </Select>
    </Field>
  );
}

export function ResourceFields({ value, disabled, errors, onChange }: { value: RunOptions; disabled: boolean; errors: Record<string, string | undefined>; onChange: (v: RunOptions) => void }) {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <fieldset aria-label="Resource class">
        <legend className="mb-1 block text-sm font-medium text-gray-700">Resource class</legend>
        <div className="flex gap-2">
          {(["cpu", "gpu"] as const).map((r) => (
            <label key={r} className={`flex flex-1 cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm ${value.resource === r ? "border-blue-400 bg-blue-50" : "border-gray-200"}`}>
              <input type="radio" name="resource" checked={value.resource === r} disabled={disabled} onChange={() => onChange({ ...value, resource: r })} />
              {r.toUpperCase()}
            </label>
          ))}
        </div>
        <p className="mt-1 text-xs text-gray-500">GPU runs wait for a worker started on a GPU host.</p>
      </fieldset>
      <Field label="Experiment" htmlFor="train-experiment" hint="Created when it does not exist yet." error={errors.experiment}>
        <TextInput id="train-experiment" value={value.experiment} onValueChange={(experiment) => onChange({ ...value, experiment })} disabled={disabled} error={!!errors.experiment} />
      </Field>
      <Field label="Run name (optional)" htmlFor="train-name" hint="Defaults to the trainer and run number." error={errors.name}>
        <TextInput id="train-name" value={value.name} onValueChange={(name) => onChange({ ...value, name })} placeholder="gbdt-3" disabled={disabled} error={!!errors.name} />
      </Field>
    </div>
  );
}

export function EvaluationFields({ value, columns, disabled, onChange }: { value: RunOptions; columns: string[]; disabled: boolean; onChange: (v: RunOptions) => void }) {
  return (
    <div className="space-y-4">
      <Toggle checked={value.evaluate} onChange={(evaluate) => onChange({ ...value, evaluate })} label="Evaluate the model on the test split when training finishes" />
      {value.evaluate ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <OptionalColumn
            id="train-slice"
            label="Slice column"
            hint="Metrics per value (or quantile bin) of this column."
            value={value.sliceColumn}
            columns={columns}
            disabled={disabled}
            onChange={(sliceColumn) => onChange({ ...value, sliceColumn })}
          />
          <OptionalColumn
            id="train-sensitive"
            label="Sensitive column"
            hint="Fairness across its groups: selection rates, TPR/FPR gaps, error gaps."
            value={value.sensitiveColumn}
            columns={columns}
            disabled={disabled}
            onChange={(sensitiveColumn) => onChange({ ...value, sensitiveColumn })}
          />
        </div>
      ) : null}
    </div>
  );
}
