"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Button, Select, SelectItem } from "@tremor/react";
import { useState } from "react";
import { FormError } from "../../../../../_components/states";
import { useTRPC, type RouterOutputs } from "../../../../../_lib/trpc";
import type { Expectation } from "@/server/datasets/schemas";
import { useDataset } from "../../_components/dataset-context";

type Version = RouterOutputs["dataset"]["versions"][number];

/** Fills the editor with what a profiled version satisfies; saving stays a separate step. */
export function ProposePanel({ versions, onProposed }: { versions: Version[]; onProposed: (number: number, list: Expectation[]) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dataset = useDataset();
  const ready = versions.filter((v) => v.profileStatus === "READY");
  const [picked, setPicked] = useState(ready[0]?.id ?? "");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const version = ready.find((v) => v.id === picked) ?? ready[0];

  const propose = async () => {
    if (!version) return;
    setPending(true);
    setError(null);
    try {
      const list = await queryClient.fetchQuery(trpc.dataset.proposeContract.queryOptions({ projectId: dataset.projectId, versionId: version.id }));
      onProposed(version.number, list);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  if (ready.length === 0) {
    return <p className="text-sm text-gray-500">Upload a version and wait for its profile to propose a contract from it, or add expectations by hand below.</p>;
  }
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-64">
          <Select value={version?.id ?? ""} onValueChange={setPicked} enableClear={false} aria-label="Version to propose from">
            {ready.map((v) => (
              <SelectItem key={v.id} value={v.id}>
                {`v${v.number} · ${v.fileName}`}
              </SelectItem>
            ))}
          </Select>
        </div>
        <Button variant="secondary" loading={pending} onClick={() => void propose()} disabled={!version}>
          {version ? `Propose from version ${version.number}` : "Propose"}
        </Button>
      </div>
      <FormError error={error} />
    </div>
  );
}
