"use client";

import { NumberInput, TextInput } from "../../../../_components/inputs";
import { Field } from "../../../../_components/field";
import type { SplitConfig } from "@/server/datasets/schemas";

/** The split form as typed: percentages and the seed stay text until submitted. */
export interface SplitDraft {
  train: string;
  validation: string;
  test: string;
  keyColumn: string;
  seed: string;
}

export const splitDraftOf = (s: SplitConfig): SplitDraft => ({
  train: String(Math.round(s.ratios.train * 1000) / 10),
  validation: String(Math.round(s.ratios.validation * 1000) / 10),
  test: String(Math.round(s.ratios.test * 1000) / 10),
  keyColumn: s.keyColumn ?? "",
  seed: String(s.seed),
});

/** Percentages become shares; the server checks that they add up to 1 and reports it beside the fields. */
export function splitConfigOf(d: SplitDraft): SplitConfig {
  const share = (v: string) => Number(v) / 100;
  return {
    ratios: { train: share(d.train), validation: share(d.validation), test: share(d.test) },
    keyColumn: d.keyColumn.trim() || undefined,
    seed: Number(d.seed),
  };
}

const SPLITS = [
  ["train", "Train %"],
  ["validation", "Validation %"],
  ["test", "Test %"],
] as const;

export function SplitFields({ idPrefix, value, onChange, error, disabled }: { idPrefix: string; value: SplitDraft; onChange: (d: SplitDraft) => void; error?: string; disabled?: boolean }) {
  const total = SPLITS.reduce((s, [key]) => s + (Number(value[key]) || 0), 0);
  return (
    <fieldset className="space-y-3" disabled={disabled}>
      <legend className="text-sm font-medium text-gray-700">Split</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        {SPLITS.map(([key, label]) => (
          <Field key={key} label={label} htmlFor={`${idPrefix}-${key}`}>
            <NumberInput id={`${idPrefix}-${key}`} value={value[key]} onValueChange={(n) => onChange({ ...value, [key]: Number.isNaN(n) ? "" : String(n) })} min={0} max={100} step={5} enableStepper={false} disabled={disabled} error={!!error} />
          </Field>
        ))}
      </div>
      <p className={`text-xs ${error ? "text-rose-600" : Math.abs(total - 100) > 1e-6 ? "text-amber-600" : "text-gray-500"}`} data-field-error={error ? `${idPrefix}-split` : undefined}>
        {error ?? `Adds up to ${Number(total.toFixed(4))}% (must be 100%).`}
      </p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Key column (optional)" htmlFor={`${idPrefix}-key`} hint="Rows are assigned by a hash of this column, so a row keeps its split across versions. Empty: by row order.">
          <TextInput id={`${idPrefix}-key`} value={value.keyColumn} onValueChange={(keyColumn) => onChange({ ...value, keyColumn })} placeholder="customer_id" disabled={disabled} />
        </Field>
        <Field label="Seed" htmlFor={`${idPrefix}-seed`} hint="The same seed and data give the same split.">
          <NumberInput id={`${idPrefix}-seed`} value={value.seed} onValueChange={(n) => onChange({ ...value, seed: Number.isNaN(n) ? "" : String(n) })} min={0} step={1} enableStepper={false} disabled={disabled} />
        </Field>
      </div>
    </fieldset>
  );
}
