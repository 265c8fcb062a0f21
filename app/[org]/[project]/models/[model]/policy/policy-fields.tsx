"use client";

import { Select, SelectItem } from "@tremor/react";
import { useState, type ReactNode } from "react";
import { TextInput } from "../../../../../_components/inputs";
import type { Path } from "./policy-doc";

export type Write = (path: Path, value: unknown) => void;

/**
 * A number field that keeps what is typed ("0." on the way to "0.05") and writes a number once the
 * text is one; an empty field removes the key, so the server's default applies.
 */
export function NumField({ id, label, value, path, write, hint, disabled }: { id: string; label: string; value: unknown; path: Path; write: Write; hint?: string; disabled?: boolean }) {
  const [text, setText] = useState(typeof value === "number" ? String(value) : typeof value === "string" ? value : "");
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-700">
        {label}
      </label>
      <TextInput
        id={id}
        value={text}
        inputMode="decimal"
        disabled={disabled}
        placeholder="default"
        onValueChange={(t) => {
          setText(t);
          const trimmed = t.trim();
          if (trimmed === "") write(path, undefined);
          else if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(trimmed)) write(path, Number(trimmed));
          // A percentage ("2%") is valid where the policy takes a fraction; the server checks where.
          else if (/^\d+(\.\d+)?\s*%$/.test(trimmed)) write(path, trimmed);
        }}
      />
      {hint ? <p className="text-xs text-gray-500">{hint}</p> : null}
    </div>
  );
}

export function ChoiceField({ id, label, value, options, onChange, disabled }: { id: string; label: string; value: string; options: readonly { value: string; label: string }[]; onChange: (v: string) => void; disabled?: boolean }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-gray-700">
        {label}
      </label>
      <Select id={id} aria-label={label} value={value} onValueChange={onChange} enableClear={false} disabled={disabled}>
        {options.map((o) => (
          <SelectItem key={o.value} value={o.value}>
            {o.label}
          </SelectItem>
        ))}
      </Select>
    </div>
  );
}

export function CheckField({ id, label, checked, onChange, disabled, hint }: { id: string; label: string; checked: boolean; onChange: (on: boolean) => void; disabled?: boolean; hint?: string }) {
  return (
    <div>
      <label htmlFor={id} className="inline-flex items-center gap-2 text-sm text-gray-700">
        <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} className="h-4 w-4 rounded border-gray-300 text-blue-600" />
        {label}
      </label>
      {hint ? <p className="ml-6 text-xs text-gray-500">{hint}</p> : null}
    </div>
  );
}

export function Group({ title, description, children, enabled, className = "" }: { title: string; description?: string; children: ReactNode; enabled?: ReactNode; className?: string }) {
  return (
    <fieldset className={`space-y-3 rounded-lg border border-gray-200 p-4 ${className}`} aria-label={title}>
      <legend className="px-1 text-sm font-semibold text-gray-900">{title}</legend>
      {description ? <p className="-mt-1 text-xs text-gray-500">{description}</p> : null}
      {enabled}
      {children}
    </fieldset>
  );
}
