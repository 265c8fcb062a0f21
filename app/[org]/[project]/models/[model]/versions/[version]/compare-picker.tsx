"use client";

import { useQuery } from "@tanstack/react-query";
import { Select, SelectItem } from "@tremor/react";
import { useRouter } from "next/navigation";
import { useProject } from "../../../../../../_components/org-context";
import { useTRPC } from "../../../../../../_lib/trpc";
import { useModel } from "../../../_components/model-context";

/** Opens the side-by-side comparison of this version with another of the same model. */
export function ComparePicker({ current }: { current: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const project = useProject();
  const model = useModel();
  const versions = useQuery(trpc.model.versions.queryOptions({ projectId: project.id, modelId: model.id, includeArchived: true }));
  const others = (versions.data ?? []).filter((v) => v.number !== current);
  if (others.length === 0) return null;
  return (
    <div className="w-56">
      <Select aria-label="Compare with" placeholder="Compare with…" value="" onValueChange={(v) => router.push(model.paths.compare(Number(v), current))} enableClear={false}>
        {others.map((v) => (
          <SelectItem key={v.id} value={String(v.number)}>
            {`Compare with v${v.number}${v.aliases.length ? ` (${v.aliases.join(", ")})` : ""}`}
          </SelectItem>
        ))}
      </Select>
    </div>
  );
}
