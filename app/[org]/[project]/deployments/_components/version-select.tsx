"use client";

import { useQuery } from "@tanstack/react-query";
import { Select, SelectItem } from "@tremor/react";
import { useProject } from "../../../../_components/org-context";
import { useTRPC } from "../../../../_lib/trpc";

/** "alias:<name>" or "version:<id>": one select offers the model's aliases first, then every live version. */
export function versionChoice(value: string): { alias?: string; versionId?: string } {
  if (value.startsWith("alias:")) return { alias: value.slice("alias:".length) };
  if (value.startsWith("version:")) return { versionId: value.slice("version:".length) };
  return {};
}

export function VersionSelect({ id, modelId, value, onChange, label }: { id: string; modelId: string; value: string; onChange: (v: string) => void; label: string }) {
  const trpc = useTRPC();
  const project = useProject();
  const model = useQuery(trpc.model.get.queryOptions({ projectId: project.id, modelId }, { enabled: !!modelId }));
  const versions = useQuery(trpc.model.versions.queryOptions({ projectId: project.id, modelId, includeArchived: true }, { enabled: !!modelId }));
  const live = (versions.data ?? []).filter((v) => !v.archivedAt);
  return (
    <Select id={id} aria-label={label} value={value} onValueChange={onChange} enableClear={false} disabled={!modelId || versions.isPending} placeholder="Version">
      {[
        ...(model.data?.aliases ?? []).map((a) => (
          <SelectItem key={`alias:${a.name}`} value={`alias:${a.name}`}>
            {`@${a.name} (v${a.number})`}
          </SelectItem>
        )),
        ...live.map((v) => (
          <SelectItem key={v.id} value={`version:${v.id}`}>
            {`v${v.number}`}
          </SelectItem>
        )),
      ]}
    </Select>
  );
}
