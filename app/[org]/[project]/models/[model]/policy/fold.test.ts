import { describe, expect, it } from "vitest";
import { foldUnchanged, type DiffLine } from "./fold";

const same = (n: number): DiffLine => ({ op: "same", text: `l${n}`, oldLine: n, newLine: n });

describe("foldUnchanged", () => {
  it("keeps the context around a change and folds the rest", () => {
    const lines: DiffLine[] = [...Array.from({ length: 10 }, (_, i) => same(i + 1)), { op: "remove", text: "a", oldLine: 11, newLine: null }, { op: "add", text: "b", oldLine: null, newLine: 11 }, same(12), same(13)];
    const folded = foldUnchanged(lines, 2);
    expect(folded[0]).toEqual({ kind: "fold", count: 8 });
    expect(folded.slice(1).map((f) => (f.kind === "line" ? f.line.text : `…${f.count}`))).toEqual(["l9", "l10", "a", "b", "l12", "l13"]);
  });

  it("folds a diff without changes into one row, and an empty diff into nothing", () => {
    expect(foldUnchanged([same(1), same(2)])).toEqual([{ kind: "fold", count: 2 }]);
    expect(foldUnchanged([])).toEqual([]);
  });
});
