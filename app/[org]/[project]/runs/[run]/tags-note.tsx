"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@tremor/react";
import { useState } from "react";
import { useOrg, useProject } from "../../../../_components/org-context";
import { FormError, Section } from "../../../../_components/states";
import { useTRPC } from "../../../../_lib/trpc";
import type { RunDetail } from "../_components/types";
import { refreshAfterWrite } from "../../../../_lib/refresh";

const input = "w-full rounded-md border border-gray-300 px-2 py-1 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-blue-300";

/** Tags and the note; members add, change and remove tags and edit the note. */
export function TagsNote({ run }: { run: RunDetail }) {
  const { can } = useOrg();
  const [editing, setEditing] = useState(false);
  const tags = Object.entries(run.tags).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Section
      title="Tags and note"
      actions={
        can("MEMBER") && !editing ? (
          <Button size="xs" variant="secondary" onClick={() => setEditing(true)}>
            Edit
          </Button>
        ) : null
      }
    >
      {editing ? (
        <TagsNoteForm run={run} onDone={() => setEditing(false)} />
      ) : (
        <>
          {tags.length === 0 ? (
            <p className="text-sm text-gray-500">No tags.</p>
          ) : (
            <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
              {tags.map(([k, v]) => (
                <li key={k} className="rounded-md bg-gray-100 px-2 py-0.5 font-mono text-xs text-gray-700" data-tag={k}>
                  {k}
                  {v ? <span className="text-gray-500">={v}</span> : null}
                </li>
              ))}
            </ul>
          )}
          {run.note ? <p className="whitespace-pre-wrap text-sm text-gray-700" data-note>{run.note}</p> : <p className="text-sm text-gray-400">No note.</p>}
        </>
      )}
    </Section>
  );
}

function TagsNoteForm({ run, onDone }: { run: RunDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const project = useProject();
  const [values, setValues] = useState<Record<string, string>>(run.tags);
  const [removed, setRemoved] = useState<string[]>([]);
  const [newKey, setNewKey] = useState("");
  const [newValue, setNewValue] = useState("");
  const [note, setNote] = useState(run.note);
  const save = useMutation(
    trpc.run.setTags.mutationOptions({
      onSuccess: async () => {
        await refreshAfterWrite(queryClient, trpc.run.get.queryKey({ projectId: project.id, runId: run.id }));
        onDone();
      },
    }),
  );
  const submit = () => {
    const tags = { ...values, ...(newKey.trim() ? { [newKey.trim()]: newValue } : {}) };
    save.mutate({ projectId: project.id, runId: run.id, tags, removeTags: removed.filter((k) => !(k in tags)), note });
  };

  return (
    <form
      aria-label="Edit tags and note"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {Object.keys(values).map((k) => (
        <div key={k} className="grid grid-cols-[10rem_1fr_auto] items-center gap-2">
          <label htmlFor={`tag-${k}`} className="truncate font-mono text-xs text-gray-700" title={k}>
            {k}
          </label>
          <input id={`tag-${k}`} className={input} value={values[k]} onChange={(e) => setValues({ ...values, [k]: e.target.value })} aria-label={`Tag ${k}`} />
          <Button
            type="button"
            size="xs"
            variant="light"
            color="red"
            aria-label={`Remove tag ${k}`}
            onClick={() => {
              const { [k]: _dropped, ...rest } = values;
              setValues(rest);
              setRemoved([...removed, k]);
            }}
          >
            Remove
          </Button>
        </div>
      ))}
      <div className="grid grid-cols-[10rem_1fr_auto] gap-2">
        <input className={input} value={newKey} onChange={(e) => setNewKey(e.target.value)} placeholder="new tag" aria-label="New tag key" />
        <input className={input} value={newValue} onChange={(e) => setNewValue(e.target.value)} placeholder="value" aria-label="New tag value" />
      </div>
      <label className="block">
        <span className="text-xs font-medium text-gray-700">Note</span>
        <textarea className={`${input} mt-1 h-24`} value={note} onChange={(e) => setNote(e.target.value)} aria-label="Note" />
      </label>
      <FormError error={save.error} />
      <div className="flex gap-2">
        <Button type="submit" size="xs" loading={save.isPending}>
          Save
        </Button>
        <Button type="button" size="xs" variant="light" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
