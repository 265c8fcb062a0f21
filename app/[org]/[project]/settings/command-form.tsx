"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { TextInput } from "../../../_components/inputs";
import { useState, type FormEvent } from "react";
import { Field } from "../../../_components/field";
import { useProject } from "../../../_components/org-context";
import { FormError } from "../../../_components/states";
import { fieldErrors } from "../../../_lib/errors";
import { useTRPC, type RouterOutputs } from "../../../_lib/trpc";
import { ZCommandInput } from "@/server/training/schemas";
import { refreshAfterWrite } from "../../../_lib/refresh";

export type Command = RouterOutputs["training"]["commands"][number];

interface EnvRow {
  key: string;
  value: string;
  /** Saved before: its value is hidden, and left blank it stays as saved. */
  saved?: boolean;
}

/**
 * The env field's own message for a bad variable name: the server's flattened error only says
 * "Invalid key in record", so the form checks names with the same schema first.
 */
function envError(env: Record<string, string>): string | null {
  const result = ZCommandInput.shape.env.safeParse(env);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const inner = issue.code === "invalid_key" ? issue.issues[0]?.message : undefined;
  return `${String(issue.path[0] ?? "")}: ${inner ?? issue.message}`;
}

export const EXAMPLE_COMMAND = "python3 examples/sklearn-sgd/train.py --epochs 20";

/** Create (no `command`) or edit one training command; commands are saved by name, so an edit keeps it. */
export function CommandForm({ command, existingNames, onDone }: { command?: Command; existingNames: string[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const project = useProject();
  const [name, setName] = useState(command?.name ?? "");
  const [line, setLine] = useState(command?.command ?? "");
  const [workdir, setWorkdir] = useState(command?.workdir ?? ".");
  const [timeout, setTimeoutText] = useState(String(command?.timeoutSeconds ?? 3600));
  const [env, setEnv] = useState<EnvRow[]>((command?.envKeys ?? []).map((key) => ({ key, value: "", saved: true })));
  const [envProblem, setEnvProblem] = useState<string | null>(null);
  const save = useMutation(
    trpc.training.saveCommand.mutationOptions({
      onSuccess: async () => {
        await refreshAfterWrite(queryClient, trpc.training.commands.queryKey());
        onDone();
      },
    }),
  );
  const errors = fieldErrors(save.error);
  const replaces = !command && existingNames.includes(name.trim());
  const setRow = (i: number, row: EnvRow) => setEnv(env.map((r, j) => (j === i ? row : r)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const vars = Object.fromEntries(env.filter((r) => r.key.trim() !== "").map((r) => [r.key.trim(), r.value]));
    const problem = envError(vars);
    setEnvProblem(problem);
    if (problem) return;
    save.mutate({ projectId: project.id, name, command: line, workdir, timeoutSeconds: Number(timeout), env: vars });
  };

  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg border border-gray-200 bg-gray-50 p-4" aria-label={command ? `Edit command ${command.name}` : "New training command"}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="command-name" error={errors.name} hint={replaces ? `Replaces the existing command "${name.trim()}".` : command ? "Commands are saved by name." : undefined}>
          <TextInput id="command-name" value={name} onValueChange={setName} placeholder="sklearn-sgd" disabled={!!command} error={!!errors.name} />
        </Field>
        <Field label="Working directory" htmlFor="command-workdir" hint="Relative to the worker's Cairn install folder, which the command sees read-only." error={errors.workdir}>
          <TextInput id="command-workdir" value={workdir} onValueChange={setWorkdir} error={!!errors.workdir} />
        </Field>
      </div>
      <Field label="Command" htmlFor="command-line" hint="A shell command line run with /bin/sh in the worker's sandbox." error={errors.command}>
        <TextInput id="command-line" value={line} onValueChange={setLine} placeholder={EXAMPLE_COMMAND} className="font-mono" error={!!errors.command} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Timeout (seconds)" htmlFor="command-timeout" hint="The whole process group is stopped after this." error={errors.timeoutSeconds}>
          <TextInput id="command-timeout" value={timeout} onValueChange={setTimeoutText} inputMode="numeric" error={!!errors.timeoutSeconds} />
        </Field>
      </div>
      <fieldset aria-label="Environment variables" className="space-y-2">
        <legend className="text-sm font-medium text-gray-700">Environment variables</legend>
        <p className="text-xs text-gray-500">Values are secrets: nobody can read them back once saved. Leave a saved value blank to keep it.</p>
        {env.map((row, i) => (
          <div key={i} className="flex items-center gap-2" data-env-row={i}>
            <TextInput value={row.key} onValueChange={(key) => setRow(i, { ...row, key, saved: false })} placeholder="NAME" className="max-w-[14rem] font-mono" aria-label={`Variable ${i + 1} name`} />
            <span className="text-gray-400">=</span>
            <TextInput
              value={row.value}
              onValueChange={(value) => setRow(i, { ...row, value })}
              placeholder={row.saved ? "unchanged (hidden)" : "value"}
              className="font-mono"
              aria-label={`Variable ${i + 1} value`}
            />
            <Button type="button" size="xs" variant="light" color="rose" onClick={() => setEnv(env.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </div>
        ))}
        {envProblem || errors.env ? (
          <p className="text-xs text-rose-600" data-field-error="command-env">
            {envProblem ?? errors.env}
          </p>
        ) : null}
        <Button type="button" size="xs" variant="secondary" onClick={() => setEnv([...env, { key: "", value: "" }])}>
          Add variable
        </Button>
      </fieldset>
      <FormError error={save.error} />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" color="gray" onClick={onDone} disabled={save.isPending}>
          Cancel
        </Button>
        <Button type="submit" loading={save.isPending}>
          {command ? "Save command" : "Add command"}
        </Button>
      </div>
    </form>
  );
}
