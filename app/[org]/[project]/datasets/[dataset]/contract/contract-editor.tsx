"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Callout, Select, SelectItem } from "@tremor/react";
import { useMemo, useState } from "react";
import { useOrg } from "../../../../../_components/org-context";
import { DateTime } from "../../../../../_components/relative-time";
import { EmptyState, Section } from "../../../../../_components/states";
import { errorMessage } from "../../../../../_lib/errors";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import type { Expectation } from "@/server/datasets/schemas";
import { useDataset } from "../../_components/dataset-context";
import { defaultExpectation, errorsByRow, KINDS, newDraft, toDrafts, type ExpectationDraft, type ExpectationKind } from "./expectation-kinds";
import { ExpectationRow } from "./expectation-row";
import { ProposePanel } from "./propose-panel";
import { refreshAfterWrite } from "../../../../../_lib/refresh";

type Contract = RouterOutputs["dataset"]["contract"];
type Version = RouterOutputs["dataset"]["versions"][number];

export function ContractEditor({ contract, versions }: { contract: Contract; versions: Version[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useOrg();
  const dataset = useDataset();
  const canWrite = can("MEMBER");
  const saved = useMemo(() => contract?.expectations ?? [], [contract]);
  const [drafts, setDrafts] = useState<ExpectationDraft[]>(() => toDrafts(saved));
  const [proposedFrom, setProposedFrom] = useState<number | null>(null);
  const [adding, setAdding] = useState<ExpectationKind | "">("");
  const save = useMutation(
    trpc.dataset.saveContract.mutationOptions({
      onSuccess: async () => {
        await refreshAfterWrite(queryClient, trpc.dataset.pathKey());
      },
    }),
  );
  const columns = useMemo(() => versions.find((v) => v.profileStatus === "READY")?.columns ?? versions[0]?.columns ?? [], [versions]);
  const expectations = drafts.map((d) => d.value);
  const dirty = JSON.stringify(expectations) !== JSON.stringify(saved);
  const errors = errorsByRow(save.error ? errorMessage(save.error) : undefined);

  const update = (key: string, value: Expectation) => setDrafts((list) => list.map((d) => (d.key === key ? { key, value } : d)));
  // The server's errors point at row positions, which adding or removing a row would shift.
  const remove = (key: string) => {
    setDrafts((list) => list.filter((d) => d.key !== key));
    save.reset();
  };
  const add = (kind: ExpectationKind) => {
    setDrafts((list) => [...list, newDraft(defaultExpectation(kind, columns))]);
    setAdding("");
    save.reset();
  };

  return (
    <div className="space-y-6">
      <datalist id="contract-columns">
        {columns.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <Section
        title="Data contract"
        description="Every new version is checked against these expectations; a version that fails is marked failed and cannot be used for training."
        actions={
          contract ? (
            <p className="flex flex-col items-end gap-1 text-sm text-gray-600" data-contract-revision={contract.revision}>
              <Badge size="xs" color="indigo">
                revision {contract.revision}
              </Badge>
              <span className="text-xs text-gray-500">
                saved by {contract.updatedBy} on <DateTime date={contract.updatedAt} />
              </span>
            </p>
          ) : (
            <Badge size="xs" color="slate">
              no contract yet
            </Badge>
          )
        }
      >
        {canWrite ? (
          <ProposePanel
            versions={versions}
            onProposed={(number, list) => {
              setDrafts(toDrafts(list));
              setProposedFrom(number);
              save.reset();
            }}
          />
        ) : (
          <Callout title="Read-only" color="slate">
            Your role can read the contract; members can change it.
          </Callout>
        )}
        {proposedFrom !== null && dirty ? (
          <Callout title={`Proposed from version ${proposedFrom}`} color="blue">
            These expectations are what version {proposedFrom} satisfies, with some headroom. Review and edit them, then save; nothing is saved yet.
          </Callout>
        ) : null}
      </Section>

      <Section title={`Expectations (${drafts.length})`} actions={dirty ? <Badge color="amber" size="xs">unsaved changes</Badge> : null}>
        {drafts.length === 0 ? (
          <EmptyState title="No expectations">{canWrite ? "Propose them from a version above, or add them one by one below." : "Nobody has defined any yet."}</EmptyState>
        ) : (
          <ol className="space-y-3" aria-label="Expectations">
            {drafts.map((d, i) => (
              <ExpectationRow
                key={d.key}
                rowKey={d.key}
                index={i}
                value={d.value}
                onChange={(v) => update(d.key, v)}
                onRemove={() => remove(d.key)}
                errors={errors.rows.get(i) ?? []}
                disabled={!canWrite}
              />
            ))}
          </ol>
        )}
        {canWrite ? (
          <div className="flex flex-wrap items-end justify-between gap-3 border-t border-gray-100 pt-4">
            <div className="flex items-center gap-2">
              <div className="w-56">
                <Select value={adding} onValueChange={(k) => setAdding(k as ExpectationKind)} placeholder="Add an expectation…" enableClear={false} aria-label="Kind of expectation to add">
                  {KINDS.map((k) => (
                    <SelectItem key={k.kind} value={k.kind}>
                      {k.label}
                    </SelectItem>
                  ))}
                </Select>
              </div>
              <Button size="xs" variant="secondary" disabled={!adding} onClick={() => adding && add(adding)}>
                Add
              </Button>
            </div>
            <div className="flex items-center gap-2">
              <Button
                variant="secondary"
                color="gray"
                disabled={!dirty || save.isPending}
                onClick={() => {
                  setDrafts(toDrafts(saved));
                  setProposedFrom(null);
                  save.reset();
                }}
              >
                Discard changes
              </Button>
              <Button loading={save.isPending} disabled={!dirty} onClick={() => save.mutate({ projectId: dataset.projectId, datasetId: dataset.id, expectations })}>
                Save contract
              </Button>
            </div>
          </div>
        ) : null}
        {save.error ? (
          <div role="alert" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700" data-save-error>
            <p className="font-medium">The contract was not saved.</p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs">
              {errors.all.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </Section>
    </div>
  );
}
