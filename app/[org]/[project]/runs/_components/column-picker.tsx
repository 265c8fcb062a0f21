"use client";

import { useState, type ReactNode } from "react";
import { Popover } from "../../../../_components/popover";
import { columnId, type availableKeys } from "./columns";

type Keys = ReturnType<typeof availableKeys>;

/** Checkboxes for every param, metric (last, min, max) and tag key of the loaded runs. */
export function ColumnPicker({ keys, chosen, onChange }: { keys: Keys; chosen: string[]; onChange: (columns: string[]) => void }) {
  const [search, setSearch] = useState("");
  const has = new Set(chosen);
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id] : chosen.filter((c) => c !== id));
  const match = (k: string) => k.toLowerCase().includes(search.trim().toLowerCase());
  const box = (id: string, label: string) => (
    <label key={id} className="flex items-center gap-1 text-xs text-gray-600">
      <input type="checkbox" checked={has.has(id)} onChange={(e) => toggle(id, e.target.checked)} aria-label={`Column ${id}`} />
      {label}
    </label>
  );
  const metrics = keys.metrics.filter(match);
  const params = keys.params.filter(match);
  const tags = keys.tags.filter(match);

  return (
    <Popover label="Choose columns" align="right" button={<span>Columns ({chosen.length})</span>}>
      {() => (
        <div className="max-h-96 space-y-3 overflow-y-auto p-2 text-sm">
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Find a key"
            aria-label="Find a column key"
            className="w-full rounded-md border border-gray-300 px-2 py-1 text-sm"
          />
          <Group title="Metrics" empty={metrics.length === 0}>
            {metrics.map((k) => (
              <div key={k} className="flex items-center gap-3 py-0.5">
                <span className="min-w-0 flex-1 truncate font-mono text-xs text-gray-800" title={k}>
                  {k}
                </span>
                {box(columnId("metric", k), "last")}
                {box(columnId("metric", k, "min"), "min")}
                {box(columnId("metric", k, "max"), "max")}
              </div>
            ))}
          </Group>
          <Group title="Params" empty={params.length === 0}>
            {params.map((k) => (
              <KeyBox key={k} id={columnId("param", k)} label={k} checked={has.has(columnId("param", k))} onChange={(on) => toggle(columnId("param", k), on)} />
            ))}
          </Group>
          <Group title="Tags" empty={tags.length === 0}>
            {tags.map((k) => (
              <KeyBox key={k} id={columnId("tag", k)} label={k} checked={has.has(columnId("tag", k))} onChange={(on) => toggle(columnId("tag", k), on)} />
            ))}
          </Group>
        </div>
      )}
    </Popover>
  );
}

function Group({ title, empty, children }: { title: string; empty: boolean; children: ReactNode }) {
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-medium uppercase tracking-wide text-gray-500">{title}</legend>
      {empty ? <p className="text-xs text-gray-400">None</p> : children}
    </fieldset>
  );
}

function KeyBox({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="flex items-center gap-2 py-0.5">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-label={`Column ${id}`} />
      <span className="truncate font-mono text-xs text-gray-800" title={label}>
        {label}
      </span>
    </label>
  );
}
