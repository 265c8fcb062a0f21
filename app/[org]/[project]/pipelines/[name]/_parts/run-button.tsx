"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Dialog, DialogPanel } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "../../../../../_components/field";
import { TextInput } from "../../../../../_components/inputs";
import { FormError } from "../../../../../_components/states";
import { refreshAfterWrite } from "../../../../../_lib/refresh";
import { useTRPC } from "../../../../../_lib/trpc";
import { paramValue, specParams, type Param } from "../../_components/params";

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
      const parsed = paramValue(n, values[n] ?? String(defaults[n]), defaults[n]!);
      if ("error" in parsed) return setFormError(parsed.error);
      params[n] = parsed.value;
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
