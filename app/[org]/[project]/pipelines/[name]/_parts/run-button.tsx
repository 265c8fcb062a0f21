"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, DialogPanel } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { parse } from "yaml";
import { Field } from "../../../../../_components/field";
import { TextInput } from "../../../../../_components/inputs";
import { FormError } from "../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";

type Param = string | number | boolean;

/** The `params` of the pipeline's current YAML (already checked by the server when it was saved) with their defaults. */
export function specParams(yaml: string): Record<string, Param> {
  try {
    const doc: unknown = parse(yaml);
    const params = (doc as { params?: unknown } | null)?.params;
    if (!params || typeof params !== "object") return {};
    return Object.fromEntries(Object.entries(params).filter((e): e is [string, Param] => ["string", "number", "boolean"].includes(typeof e[1])));
  } catch {
    return {};
  }
}

/** A typed value from the form's text: a param keeps the type of its default. */
function typed(text: string, def: Param): Param | string {
  if (typeof def === "number") return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
  if (typeof def === "boolean") return text === "true" ? true : text === "false" ? false : text;
  return text;
}

/** Run now: with the spec's params in a small form (defaults filled in), or at once when it has none. */
export function RunButton({ projectId, pipelineId, yaml, onStarted }: { projectId: string; pipelineId: string; yaml: string; onStarted: (runId: string) => string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const defaults = specParams(yaml);
  const names = Object.keys(defaults);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const start = useMutation(
    trpc.pipeline.run.mutationOptions({
      onSuccess: async (run) => {
        setOpen(false);
        await refreshAfterWrite(queryClient, trpc.pipeline.pathKey());
        router.push(onStarted(run.id));
      },
    }),
  );
  const submit = () => {
    const params: Record<string, Param> = {};
    for (const n of names) {
      const text = values[n] ?? String(defaults[n]);
      const v = typed(text, defaults[n]!);
      if (typeof v !== typeof defaults[n]) return setFormError(`${n} is a ${typeof defaults[n]}: "${text}" is not one`);
      params[n] = v;
    }
    setFormError(null);
    start.mutate({ projectId, pipelineId, params });
  };

  return (
    <>
      <Button size="xs" loading={start.isPending && !open} onClick={() => (names.length ? setOpen(true) : start.mutate({ projectId, pipelineId, params: {} }))}>
        Run pipeline
      </Button>
      {!open ? <FormError error={start.error} /> : null}
      <Dialog open={open} onClose={() => !start.isPending && setOpen(false)}>
        <DialogPanel className="max-w-md space-y-4" aria-label="Run pipeline">
          <h3 className="text-lg font-semibold text-gray-900">Run with parameters</h3>
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            {names.map((n) => (
              <Field key={n} label={n} htmlFor={`param-${n}`} hint={`default ${JSON.stringify(defaults[n])} (${typeof defaults[n]})`}>
                <TextInput id={`param-${n}`} value={values[n] ?? String(defaults[n])} onValueChange={(v) => setValues((s) => ({ ...s, [n]: v }))} />
              </Field>
            ))}
            {formError ? (
              <p role="alert" className="text-sm text-rose-700">
                {formError}
              </p>
            ) : null}
            <FormError error={start.error} />
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" color="gray" onClick={() => setOpen(false)} disabled={start.isPending}>
                Cancel
              </Button>
              <Button type="submit" loading={start.isPending}>
                Start run
              </Button>
            </div>
          </form>
        </DialogPanel>
      </Dialog>
    </>
  );
}
