"use client";

import { useRef } from "react";

/**
 * A plain textarea with a line-number gutter that scrolls with it; `errorLine` (1-based) is marked in
 * the gutter so a server error "line 7: …" can be found at a glance.
 */
export function CodeEditor({
  id,
  value,
  onChange,
  errorLine,
  readOnly,
  label,
  rows,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  errorLine?: number | null;
  readOnly?: boolean;
  label: string;
  rows?: number;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split("\n").length;
  // Tall enough for a whole policy (no inner scrolling to lose the error line in), within reason.
  const height = rows ?? Math.min(Math.max(lines + 1, 12), 48);
  const count = Math.max(lines, height);
  return (
    <div className="flex overflow-hidden rounded-md border border-gray-300 bg-white font-mono text-xs leading-5 focus-within:border-blue-500 focus-within:ring-2 focus-within:ring-blue-200">
      <div ref={gutter} aria-hidden className="select-none overflow-hidden border-r border-gray-200 bg-gray-50 py-2 text-right text-gray-400" style={{ height: `${height * 1.25 + 1}rem` }}>
        {Array.from({ length: count }, (_, i) => (
          <div key={i} className={`px-2 ${errorLine === i + 1 ? "bg-rose-100 font-semibold text-rose-700" : ""}`} data-error-line={errorLine === i + 1 ? true : undefined}>
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        id={id}
        aria-label={label}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        wrap="off"
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        className="flex-1 resize-none overflow-auto whitespace-pre bg-transparent px-3 py-2 text-gray-900 outline-none"
        style={{ height: `${height * 1.25 + 1}rem` }}
      />
    </div>
  );
}
