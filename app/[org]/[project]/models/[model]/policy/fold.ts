import type { RouterOutputs } from "../../../../../_lib/trpc";

export type DiffLine = RouterOutputs["gate"]["diff"]["lines"][number];

export type Folded = { kind: "line"; line: DiffLine } | { kind: "fold"; count: number };

/** Unchanged lines further than `context` from any change fold into one "N unchanged lines" row, as `diff -u` hunks do. */
export function foldUnchanged(lines: readonly DiffLine[], context = 3): Folded[] {
  const near = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.op === "same") return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) near[j] = true;
  });
  const out: Folded[] = [];
  lines.forEach((line, i) => {
    if (near[i]) out.push({ kind: "line", line });
    else {
      const last = out.at(-1);
      if (last?.kind === "fold") last.count++;
      else out.push({ kind: "fold", count: 1 });
    }
  });
  return out;
}
