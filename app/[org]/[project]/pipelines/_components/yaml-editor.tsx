"use client";

import { useState } from "react";
import type { YamlProblem } from "@/server/pipelines/schemas";

// One fixed line height for the gutter, the text and the notes column, so line N of each sits side by side.
const LINE_PX = 20;
const PAD_PX = 8;
const EDIT_HEIGHT_PX = 480;

/** Problems by 1-based line; a problem without a line (0) is listed under the editor only. */
export function problemsByLine(problems: readonly YamlProblem[]): Map<number, YamlProblem[]> {
  const map = new Map<number, YamlProblem[]>();
  for (const p of problems) if (p.line > 0) map.set(p.line, [...(map.get(p.line) ?? []), p]);
  return map;
}

/**
 * A YAML textarea with a line-number gutter; lines with problems are highlighted and their messages
 * sit beside them in a notes column. No editor dependency: the three columns share one line height
 * and follow the textarea's scroll.
 */
export function YamlEditor({ value, onChange, problems, readOnly = false, label }: { value: string; onChange?: (v: string) => void; problems: readonly YamlProblem[]; readOnly?: boolean; label: string }) {
  const [scroll, setScroll] = useState(0);
  const lines = value.split("\n").length;
  const marked = problemsByLine(problems);
  const shift = { transform: `translateY(${PAD_PX - scroll}px)` };
  // Read-only text is as tall as its lines (up to the editing height); an editor keeps room to type.
  const height = readOnly ? Math.min(EDIT_HEIGHT_PX, lines * LINE_PX + 2 * PAD_PX + 4) : EDIT_HEIGHT_PX;

  return (
    <div style={{ height }} className="flex overflow-hidden rounded-lg border border-gray-300 bg-white font-mono text-[13px] focus-within:border-blue-400 focus-within:ring-2 focus-within:ring-blue-100">
      <div aria-hidden className="w-11 shrink-0 select-none overflow-hidden border-r border-gray-200 bg-gray-50 text-right text-gray-400">
        <div style={shift}>
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} style={{ height: LINE_PX, lineHeight: `${LINE_PX}px` }} className={`pr-2 ${marked.has(i + 1) ? "bg-rose-100 font-semibold text-rose-700" : ""}`} data-gutter-line={i + 1}>
              {i + 1}
            </div>
          ))}
        </div>
      </div>
      <div className="relative min-w-0 flex-1">
        <div aria-hidden className="pointer-events-none absolute inset-0 overflow-hidden">
          <div style={shift}>
            {Array.from({ length: lines }, (_, i) => (
              <div key={i} style={{ height: LINE_PX }} className={marked.has(i + 1) ? "bg-rose-50" : ""} />
            ))}
          </div>
        </div>
        <textarea
          aria-label={label}
          value={value}
          readOnly={readOnly}
          onChange={(e) => onChange?.(e.target.value)}
          onScroll={(e) => setScroll(e.currentTarget.scrollTop)}
          spellCheck={false}
          wrap="off"
          className="relative h-full w-full resize-none overflow-auto border-0 bg-transparent px-3 text-gray-900 outline-none focus:ring-0"
          style={{ lineHeight: `${LINE_PX}px`, paddingTop: PAD_PX, paddingBottom: PAD_PX, tabSize: 2 }}
        />
      </div>
      {marked.size > 0 ? (
        <div className="w-60 shrink-0 overflow-hidden border-l border-rose-200 bg-rose-50/40 font-sans text-xs text-rose-700" aria-label="Problems beside their lines">
          <div style={shift}>
            {Array.from({ length: lines }, (_, i) => {
              const here = marked.get(i + 1);
              return (
                <div key={i} style={{ height: LINE_PX, lineHeight: `${LINE_PX}px` }} className="truncate px-2" title={here?.map((p) => p.message).join("\n")} data-problem-line={here ? i + 1 : undefined}>
                  {here ? `${here[0]!.message}${here.length > 1 ? ` (+${here.length - 1})` : ""}` : ""}
                </div>
              );
            })}
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** The problems as a list under the editor, each with its line (and path in the spec) so a long message is readable in full. */
export function ProblemList({ problems, from }: { problems: readonly YamlProblem[]; from: "check" | "save" }) {
  if (problems.length === 0) return null;
  return (
    <ul role="alert" aria-label="YAML problems" data-problems-from={from} className="space-y-1 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
      {problems.map((p, i) => (
        <li key={i} data-problem={p.line}>
          <span className="font-semibold">{p.line > 0 ? `Line ${p.line}${p.column > 0 ? `:${p.column}` : ""}` : "Pipeline"}</span>
          {" "}
          {p.path ? (
            <>
              <code className="rounded bg-rose-100 px-1 text-xs">{p.path}</code>{" "}
            </>
          ) : null}
          {p.message}
        </li>
      ))}
    </ul>
  );
}
