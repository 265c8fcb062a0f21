"use client";

import { NumberInput as TremorNumberInput, Textarea as TremorTextarea, TextInput as TremorTextInput } from "@tremor/react";
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
