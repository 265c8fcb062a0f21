"use client";

import { useQuery } from "@tanstack/react-query";
import { Select, SelectItem } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useTRPC, type RouterOutputs } from "../../../../../../_lib/trpc";
import { useDataset } from "../../../_components/dataset-context";

type Version = RouterOutputs["dataset"]["version"];

/** "Compare with…": the chosen version becomes the base and this one the target. */
export function ComparePicker({ version }: { version: Version }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dataset = useDataset();
  const versions = useQuery(trpc.dataset.versions.queryOptions({ projectId: dataset.projectId, datasetId: dataset.id }));
  const others = (versions.data ?? []).filter((o) => o.id !== version.id && o.profileStatus === "READY");
  const disabled = version.profileStatus !== "READY" || others.length === 0;
  return (
    <div className="w-48" data-compare-picker>
      <Select
        placeholder={versions.isPending ? "Loading versions…" : others.length === 0 ? "No other version" : "Compare with…"}
        disabled={disabled}
        enableClear={false}
        aria-label="Compare with another version"
        onValueChange={(baseId) => router.push(dataset.paths.compare(baseId, version.id))}
      >
        {others.map((o) => (
          <SelectItem key={o.id} value={o.id}>
            {`v${o.number} · ${o.fileName}`}
          </SelectItem>
        ))}
      </Select>
    </div>
  );
}
