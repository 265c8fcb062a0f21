"use client";

import { NumberInput as TremorNumberInput, Select, SelectItem, Textarea as TremorTextarea, TextInput as TremorTextInput } from "@tremor/react";
import type { ComponentProps } from "react";

// Tremor's inputs show "Type..." when given no placeholder, which reads as an instruction to nobody.
// These wrappers default to an empty placeholder; a field that needs an example still passes one.

export function TextInput(props: ComponentProps<typeof TremorTextInput>) {
  return <TremorTextInput placeholder="" {...props} />;
}

export function NumberInput(props: ComponentProps<typeof TremorNumberInput>) {
  return <TremorNumberInput placeholder="" {...props} />;
}

export function Textarea(props: ComponentProps<typeof TremorTextarea>) {
  return <TremorTextarea placeholder="" {...props} />;
}

/** A Tremor select of fixed options, wrapped in `data-select` (the hook e2e tests choose by). */
export function OptionSelect<T extends string>({ id, name, value, options, onChange }: { id: string; name: string; value: T; options: readonly { value: T; label: string }[]; onChange: (value: T) => void }) {
  return (
    <div data-select={name}>
      <Select id={id} value={value} onValueChange={(v) => onChange(v as T)} enableClear={false}>
        {options.map((o) => (
          <SelectItem key={o.value} value={o.value}>
            {o.label}
          </SelectItem>
        ))}
      </Select>
    </div>
  );
}
