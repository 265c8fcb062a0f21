"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { useState } from "react";
import { ConfirmButton } from "../../../_components/confirm-button";
import { useOrg, useProject } from "../../../_components/org-context";
import { EmptyState, ErrorState, LoadingRows, Section } from "../../../_components/states";
import { useTRPC } from "../../../_lib/trpc";
import { CommandForm, EXAMPLE_COMMAND, type Command } from "./command-form";
import { refreshAfterWrite } from "../../../_lib/refresh";

/** What the worker sets for a command (server/training/job.ts). */
const ENVIRONMENT: [string, string][] = [
  ["CAIRN_RUN_ID", "the run the command trains"],
  ["CAIRN_API_URL, CAIRN_TOKEN", "Cairn's URL and a token that can log to this run only, revoked when it ends"],
  ["CAIRN_TRAIN_PATH, CAIRN_VALIDATION_PATH, CAIRN_TEST_PATH", "CSV files of the dataset version's splits"],
  ["CAIRN_TARGET", "the target column"],
  ["CAIRN_FEATURES", "the feature columns, as a JSON list"],
  ["CAIRN_PARAMS", "the run's params, as a JSON object"],
  ["CAIRN_OUTPUT_DIR", "where to write model.onnx (required) and any other artifacts"],
];

function Environment() {
  return (
    <details className="rounded-md border border-gray-200 px-4 py-3 text-sm text-gray-600">
      <summary className="cursor-pointer font-medium text-gray-700">What a command gets and must do</summary>
      <p className="mt-2">
        A worker runs the command with <code className="font-mono text-xs">/bin/sh</code> in its own process group (stopped on cancel or timeout), streams its output into the run&apos;s log and
        sets the variables below plus the command&apos;s own. It never sees the database credentials.
      </p>
      <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
        {ENVIRONMENT.map(([name, meaning]) => (
          <div key={name} className="contents">
            <dt className="font-mono text-xs text-gray-900">{name}</dt>
            <dd className="text-xs">{meaning}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2">
        The command must write <code className="font-mono text-xs">model.onnx</code> to <code className="font-mono text-xs">$CAIRN_OUTPUT_DIR</code>; Cairn checks it with ONNX Runtime, stores it
        and evaluates it. Example (the demo project seeds it as <span className="font-mono text-xs">sklearn-sgd</span>):{" "}
        <code className="font-mono text-xs">{EXAMPLE_COMMAND}</code>
      </p>
    </details>
  );
}

function CommandRow({ command, isAdmin, editing, onEdit, onDelete }: { command: Command; isAdmin: boolean; editing: boolean; onEdit: () => void; onDelete: () => Promise<unknown> }) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 py-3" data-command={command.name}>
      <div className="min-w-0 flex-1">
        <p className="font-medium text-gray-900">{command.name}</p>
        <code className="mt-1 block truncate font-mono text-xs text-gray-700" title={command.command}>
          $ {command.command}
        </code>
        <p className="mt-1 text-xs text-gray-500">
          in <span className="font-mono">{command.workdir}</span> · timeout {command.timeoutSeconds} s
          {command.envKeys.length ? ` · ${command.envKeys.join(", ")}` : ""}
        </p>
      </div>
      {isAdmin ? (
        <div className="flex gap-2">
          <Button size="xs" variant="secondary" onClick={onEdit} disabled={editing}>
            Edit
          </Button>
          <ConfirmButton label="Delete" title={`Delete command ${command.name}?`} onConfirm={onDelete}>
            Runs that used it keep their logs and models; new runs can no longer pick it, and queued ones that use it will fail.
          </ConfirmButton>
        </div>
      ) : null}
    </li>
  );
}

/** The project's training commands: admins add, edit and delete them; everyone else reads them. */
export function TrainingCommands() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const project = useProject();
  const isAdmin = can("ADMIN");
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const commands = useQuery(trpc.training.commands.queryOptions({ projectId: project.id }));
  const remove = useMutation(trpc.training.deleteCommand.mutationOptions({ onSuccess: () => refreshAfterWrite(queryClient, trpc.training.commands.queryKey()) }));
  const names = (commands.data ?? []).map((c) => c.name);

  return (
    <Section
      title="Training commands"
      description="Your own training scripts that runs can use as their trainer. They run arbitrary programs on worker hosts, so only admins and owners manage them."
      actions={
        isAdmin && editing !== "new" ? (
          <Button size="xs" onClick={() => setEditing("new")}>
            New command
          </Button>
        ) : null
      }
    >
      <Environment />
      {editing === "new" ? <CommandForm existingNames={names} onDone={() => setEditing(null)} /> : null}
      {commands.isPending ? (
        <LoadingRows rows={2} label="Loading commands" />
      ) : commands.error ? (
        <ErrorState error={commands.error} onRetry={() => void commands.refetch()} />
      ) : commands.data.length === 0 ? (
        <EmptyState title="No training commands">{isAdmin ? "Add one to train with your own script." : "An admin can add one."}</EmptyState>
      ) : (
        <ul className="divide-y divide-gray-100" aria-label="Training commands">
          {commands.data.map((c) =>
            editing === c.id ? (
              <li key={c.id} className="py-3">
                <CommandForm command={c} existingNames={names} onDone={() => setEditing(null)} />
              </li>
            ) : (
              <CommandRow
                key={c.id}
                command={c}
                isAdmin={isAdmin}
                editing={editing !== null}
                onEdit={() => setEditing(c.id)}
                onDelete={() => remove.mutateAsync({ projectId: project.id, commandId: c.id })}
              />
            ),
          )}
        </ul>
      )}
    </Section>
  );
}
