"use client";

import { Button, Select, SelectItem } from "@tremor/react";
import type { ColumnProfile } from "@/server/datasets/schemas";
import { Field } from "../../../../_components/field";
import { TypeBadge } from "../../datasets/[dataset]/versions/[version]/schema-table";

interface Props {
  columns: string[];
  /** Column profiles by name, when the version's profile has loaded. */
  profiles: ReadonlyMap<string, ColumnProfile>;
  target: string;
  excluded: ReadonlySet<string>;
  /** Columns unticked by default, with why (identifier, constant). */
  advice: ReadonlyMap<string, { reason: string; detail: string }>;
  disabled: boolean;
  error?: string;
  onTarget: (column: string) => void;
  onExcluded: (excluded: Set<string>) => void;
}

/** The column to predict and the features to learn from: every other column unless unticked. */
export function ColumnFields({ columns, profiles, target, excluded, advice, disabled, error, onTarget, onExcluded }: Props) {
  const candidates = columns.filter((c) => c !== target);
  const used = candidates.filter((c) => !excluded.has(c)).length;
  const targetProfile = profiles.get(target);

  const toggle = (column: string, on: boolean) => {
    const next = new Set(excluded);
    if (on) next.delete(column);
    else next.add(column);
    onExcluded(next);
  };

  return (
    <div className="space-y-4">
      <Field
        label="Target column"
        htmlFor="train-target"
        error={error}
        hint={targetProfile ? `${targetProfile.type}, ${targetProfile.distinct} distinct values${targetProfile.distinct === 2 ? " (a binary task)" : ""}` : "The column the model predicts."}
      >
        <div className="max-w-sm">
          <Select id="train-target" value={target} onValueChange={onTarget} enableClear={false} placeholder="Pick the column to predict" aria-label="Target column" disabled={disabled} error={!!error}>
            {columns.map((c) => (
              <SelectItem key={c} value={c}>
                {c}
              </SelectItem>
            ))}
          </Select>
        </div>
      </Field>
      {target ? (
        <fieldset aria-label="Features">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <legend className="text-sm font-medium text-gray-700">
              Features{" "}
              <span className="font-normal text-gray-500">
                ({used} of {candidates.length} used{advice.size ? `; identifiers and constants start unticked` : ""}; untick anything that leaks the target)
              </span>
            </legend>
            <div className="flex gap-3">
              <Button type="button" size="xs" variant="light" disabled={disabled} onClick={() => onExcluded(new Set())}>
                Use all
              </Button>
              <Button type="button" size="xs" variant="light" disabled={disabled} onClick={() => onExcluded(new Set(candidates))}>
                Use none
              </Button>
            </div>
          </div>
          <div className="grid gap-1.5 sm:grid-cols-2 lg:grid-cols-3">
            {candidates.map((c) => {
              const profile = profiles.get(c);
              const why = advice.get(c);
              return (
                <label key={c} className="flex min-w-0 cursor-pointer items-center gap-2 rounded-md border border-gray-200 px-2.5 py-1.5 text-sm hover:bg-gray-50" data-feature={c}>
                  <input type="checkbox" checked={!excluded.has(c)} disabled={disabled} onChange={(e) => toggle(c, e.target.checked)} aria-label={`Use ${c}`} />
                  <span className="min-w-0 flex-1 truncate font-mono text-xs text-gray-900" title={c}>
                    {c}
                  </span>
                  {why ? (
                    <span className="shrink-0 rounded bg-amber-50 px-1 text-[10px] font-medium text-amber-800" title={why.detail} data-advice={why.reason}>
                      {why.reason}
                    </span>
                  ) : null}
                  {profile ? <TypeBadge type={profile.type} /> : null}
                </label>
              );
            })}
          </div>
          {used === 0 ? <p className="mt-2 text-xs text-rose-600">Pick at least one feature.</p> : null}
        </fieldset>
      ) : null}
    </div>
  );
}
