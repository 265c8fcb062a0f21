"use client";

import { Button } from "@tremor/react";
import { useState } from "react";

const EXAMPLE = 'metrics.rmse < 4 and params.model = "gbdt"';

/** The filter expression, applied on Enter; the server's parse error shows right under it. */
export function FilterBox({ value, error, onApply }: { value: string; error: string | null; onApply: (filter: string) => void }) {
  const [text, setText] = useState(value);
  return (
    <form
      role="search"
      aria-label="Filter runs"
      className="min-w-0 flex-1"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(text);
      }}
    >
      <div className="flex gap-2">
        <input
          type="text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={EXAMPLE}
          aria-label="Filter expression"
          aria-invalid={error ? true : undefined}
          aria-describedby="runs-filter-help"
          spellCheck={false}
          className={`min-w-0 flex-1 rounded-md border px-3 py-1.5 font-mono text-sm shadow-sm focus:outline-none focus:ring-2 ${error ? "border-rose-400 focus:ring-rose-300" : "border-gray-300 focus:ring-blue-300"}`}
        />
        <Button type="submit" size="xs" variant="secondary">
          Apply
        </Button>
        {value ? (
          <Button
            type="button"
            size="xs"
            variant="light"
            onClick={() => {
              setText("");
              onApply("");
            }}
          >
            Clear
          </Button>
        ) : null}
      </div>
      {error ? (
        <p id="runs-filter-help" role="alert" data-filter-error className="mt-1 font-mono text-xs text-rose-600">
          {error}
        </p>
      ) : (
        <p id="runs-filter-help" className="mt-1 text-xs text-gray-500">
          Fields: <code>metrics.*</code>, <code>min(metrics.*)</code>, <code>max(metrics.*)</code>, <code>params.*</code>, <code>tags.*</code>, status, name,
          experiment, created; operators <code>= != &lt; &lt;= &gt; &gt;= ~ in (…)</code>, <code>and or not</code>. Press Enter to apply.
        </p>
      )}
    </form>
  );
}
