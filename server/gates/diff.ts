/** Line diff of two texts (policy YAML revisions) by longest common subsequence. Pure. */

export interface DiffLine {
  op: "same" | "add" | "remove";
  text: string;
  /** 1-based line in the old text (same, remove) and in the new text (same, add). */
  oldLine: number | null;
  newLine: number | null;
}

export interface LineDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

// Policies are small (the YAML is capped at 64 KiB); the O(n·m) table stays a few MB at this bound.
export const MAX_DIFF_LINES = 2000;

const split = (text: string) => (text === "" ? [] : text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n"));

/** The lines of `after` against `before`: removals before additions where a block changed, as `diff -u` prints them. */
export function lineDiff(before: string, after: string): LineDiff {
  const a = split(before);
  const b = split(after);
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) throw new RangeError(`lineDiff: more than ${MAX_DIFF_LINES} lines`);
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..], in one flat array of (n+1)·(m+1).
  const width = m + 1;
  const lcs = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      lines.push({ op: "same", text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      lines.push({ op: "remove", text: a[i]!, oldLine: i + 1, newLine: null });
      i++;
    } else {
      lines.push({ op: "add", text: b[j]!, oldLine: null, newLine: j + 1 });
      j++;
    }
  }
  return { lines, added: lines.filter((l) => l.op === "add").length, removed: lines.filter((l) => l.op === "remove").length };
}

/** The diff as unified-diff body lines ("+x", "-y", " z"), for audit events and logs. */
export function unifiedLines(diff: LineDiff): string[] {
  return diff.lines.map((l) => (l.op === "add" ? "+" : l.op === "remove" ? "-" : " ") + l.text);
}
