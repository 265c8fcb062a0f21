"use client";

import { NumberInput, Textarea, TextInput } from "../../../../../_components/inputs";
import { useState } from "react";

/**
 * Uncontrolled, so that half-typed numbers ("0." or "-") stay in the box; the parsed number goes up
 * and an empty box is `undefined`. A replaced row gets a new key and so a fresh input.
 */
export function NumberField({ id, label, value, onChange, disabled, step = "any" }: { id: string; label: string; value: number | undefined; onChange: (n: number | undefined) => void; disabled?: boolean; step?: string }) {
  return (
    <label htmlFor={id} className="block min-w-0 space-y-1">
      <span className="block text-xs text-gray-500">{label}</span>
      <NumberInput
        id={id}
        defaultValue={value === undefined || Number.isNaN(value) ? "" : String(value)}
        step={step}
        enableStepper={false}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value.trim() === "" ? undefined : Number(e.target.value))}
      />
    </label>
  );
}

export function ColumnField({ id, label = "Column", value, onChange, disabled, placeholder }: { id: string; label?: string; value: string; onChange: (v: string) => void; disabled?: boolean; placeholder?: string }) {
  return (
    <label htmlFor={id} className="block min-w-0 space-y-1">
      <span className="block text-xs text-gray-500">{label}</span>
      <TextInput id={id} value={value} onValueChange={onChange} disabled={disabled} list="contract-columns" placeholder={placeholder ?? "column name"} autoComplete="off" />
    </label>
  );
}

/** One entry per line; blank lines are dropped when the list goes up. */
export function LinesField({ id, label, value, onChange, disabled }: { id: string; label: string; value: string[]; onChange: (v: string[]) => void; disabled?: boolean }) {
  const [raw, setRaw] = useState(value.join("\n"));
  return (
    <label htmlFor={id} className="block min-w-0 space-y-1">
      <span className="block text-xs text-gray-500">{label}</span>
      <Textarea
        id={id}
        value={raw}
        rows={Math.min(6, Math.max(2, value.length))}
        disabled={disabled}
        className="font-mono text-xs"
        onValueChange={(text: string) => {
          setRaw(text);
          onChange(text.split("\n").map((s) => s.trim()).filter(Boolean));
        }}
      />
    </label>
  );
}
