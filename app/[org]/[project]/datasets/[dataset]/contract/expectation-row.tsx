"use client";

import { Select, SelectItem } from "@tremor/react";
import { COLUMN_TYPES, type Expectation } from "@/server/datasets/schemas";
import { KINDS } from "./expectation-kinds";
import { ColumnField, LinesField, NumberField } from "./expectation-fields";

interface Props {
  index: number;
  rowKey: string;
  value: Expectation;
  onChange: (e: Expectation) => void;
  onRemove: () => void;
  errors: string[];
  disabled: boolean;
}

/** One expectation of the contract with the inputs its kind needs. */
export function ExpectationRow({ index, rowKey, value, onChange, onRemove, errors, disabled }: Props) {
  const meta = KINDS.find((k) => k.kind === value.kind);
  const id = (field: string) => `${rowKey}-${field}`;
  return (
    <li
      className={`rounded-lg border p-3 ${errors.length ? "border-rose-300 bg-rose-50/40" : "border-gray-200 bg-white"}`}
      data-expectation-row={value.kind}
      data-column={"column" in value ? value.column : undefined}
      aria-label={`Expectation ${index + 1}: ${meta?.label ?? value.kind}`}
    >
      <div className="grid gap-3 md:grid-cols-[13rem_minmax(0,1fr)_auto] md:items-start">
        <div className="min-w-0">
          <p className="text-sm font-medium text-gray-900">
            <span className="mr-1.5 text-xs tabular-nums text-gray-400">{index + 1}.</span>
            {meta?.label ?? value.kind}
          </p>
          <p className="text-xs text-gray-500">{meta?.help}</p>
        </div>
        <div className="grid gap-3 sm:grid-cols-3">
          <KindFields value={value} onChange={onChange} id={id} disabled={disabled} />
        </div>
        {disabled ? null : (
          <button type="button" onClick={onRemove} className="justify-self-end rounded px-2 py-1 text-xs text-gray-500 hover:bg-rose-50 hover:text-rose-700" aria-label={`Remove expectation ${index + 1}`}>
            Remove
          </button>
        )}
      </div>
      {errors.length ? (
        <ul className="mt-2 space-y-0.5 text-xs text-rose-700" data-row-errors>
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function KindFields({ value: e, onChange, id, disabled }: { value: Expectation; onChange: (e: Expectation) => void; id: (f: string) => string; disabled: boolean }) {
  switch (e.kind) {
    case "required_columns":
      return (
        <div className="sm:col-span-3">
          <LinesField id={id("columns")} label="Columns (one per line)" value={e.columns} onChange={(columns) => onChange({ ...e, columns })} disabled={disabled} />
        </div>
      );
    case "column_type":
      return (
        <>
          <ColumnField id={id("column")} value={e.column} onChange={(column) => onChange({ ...e, column })} disabled={disabled} />
          <label className="block min-w-0 space-y-1">
            <span className="block text-xs text-gray-500">Type</span>
            <Select value={e.type} onValueChange={(type) => onChange({ ...e, type: type as typeof e.type })} enableClear={false} disabled={disabled} aria-label="Type">
              {COLUMN_TYPES.map((t) => (
                <SelectItem key={t} value={t}>
                  {t}
                </SelectItem>
              ))}
            </Select>
          </label>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-gray-700">
            <input id={id("nullable")} type="checkbox" checked={e.nullable} onChange={(ev) => onChange({ ...e, nullable: ev.target.checked })} disabled={disabled} className="h-4 w-4 rounded border-gray-300 text-blue-600" />
            Missing values allowed
          </label>
        </>
      );
    case "no_new_columns":
    case "no_removed_columns":
      return <p className="self-center text-xs text-gray-400 sm:col-span-3">Nothing to set.</p>;
    case "value_range":
      return (
        <>
          <ColumnField id={id("column")} value={e.column} onChange={(column) => onChange({ ...e, column })} disabled={disabled} />
          <NumberField id={id("min")} label="Min (empty: none)" value={e.min} onChange={(min) => onChange({ ...e, min })} disabled={disabled} />
          <NumberField id={id("max")} label="Max (empty: none)" value={e.max} onChange={(max) => onChange({ ...e, max })} disabled={disabled} />
        </>
      );
    case "allowed_values":
      return (
        <>
          <ColumnField id={id("column")} value={e.column} onChange={(column) => onChange({ ...e, column })} disabled={disabled} />
          <div className="sm:col-span-2">
            <LinesField id={id("values")} label="Allowed values (one per line)" value={e.values} onChange={(values) => onChange({ ...e, values })} disabled={disabled} />
          </div>
        </>
      );
    case "max_missing_share":
      return (
        <>
          <ColumnField id={id("column")} value={e.column} onChange={(column) => onChange({ ...e, column })} disabled={disabled} />
          <NumberField id={id("max")} label="Max share (0–1)" value={e.max} onChange={(max) => onChange({ ...e, max: max ?? Number.NaN })} disabled={disabled} />
        </>
      );
    case "unique":
      return <ColumnField id={id("column")} value={e.column} onChange={(column) => onChange({ ...e, column })} disabled={disabled} />;
    case "row_count":
      return (
        <>
          <NumberField id={id("min")} label="Min rows (empty: none)" value={e.min} onChange={(min) => onChange({ ...e, min })} disabled={disabled} step="1" />
          <NumberField id={id("max")} label="Max rows (empty: none)" value={e.max} onChange={(max) => onChange({ ...e, max })} disabled={disabled} step="1" />
        </>
      );
    case "max_psi":
      return (
        <>
          <ColumnField id={id("column")} label="Column (empty: every column)" value={e.column ?? ""} onChange={(column) => onChange({ ...e, column: column.trim() || undefined })} disabled={disabled} placeholder="every column" />
          <NumberField id={id("max")} label="Max PSI" value={e.max} onChange={(max) => onChange({ ...e, max: max ?? Number.NaN })} disabled={disabled} />
        </>
      );
  }
}
