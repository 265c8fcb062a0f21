import { describe, expect, it } from "vitest";
import { lineDiff, unifiedLines } from "./diff";

describe("lineDiff", () => {
  it("keeps common lines and marks changed ones with their line numbers", () => {
    const before = "a: 1\nb: 2\nc: 3\n";
    const after = "a: 1\nb: 5\nc: 3\nd: 4\n";
    const diff = lineDiff(before, after);
    expect(unifiedLines(diff)).toEqual([" a: 1", "-b: 2", "+b: 5", " c: 3", "+d: 4"]);
    expect(diff.lines[1]).toEqual({ op: "remove", text: "b: 2", oldLine: 2, newLine: null });
    expect(diff.lines[4]).toEqual({ op: "add", text: "d: 4", oldLine: null, newLine: 4 });
    expect([diff.added, diff.removed]).toEqual([2, 1]);
  });

  it("diffs from and to empty text, and finds a minimal diff when lines move", () => {
    expect(unifiedLines(lineDiff("", "x\ny"))).toEqual(["+x", "+y"]);
    expect(unifiedLines(lineDiff("x\ny\n", ""))).toEqual(["-x", "-y"]);
    const moved = lineDiff("1\n2\n3\n4\n5", "2\n3\n4\n5\n1");
    expect([moved.added, moved.removed]).toEqual([1, 1]);
    expect(lineDiff("same\r\ntext\r\n", "same\ntext").added).toBe(0);
  });

  it("refuses texts too long to diff", () => {
    expect(() => lineDiff("x\n".repeat(2001), "")).toThrow(RangeError);
  });
});
