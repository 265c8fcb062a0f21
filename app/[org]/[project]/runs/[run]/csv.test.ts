import { describe, expect, it } from "vitest";
import { parseDelimited } from "./csv";

describe("parseDelimited", () => {
  it("reads quoted fields, doubled quotes and CRLF", () => {
    expect(parseDelimited('a,b\r\n"x, y","say ""hi"""\r\n', 10, true)).toEqual([["a", "b"], ["x, y", 'say "hi"']]);
  });

  it("stops at the row limit and drops a cut-off last line", () => {
    expect(parseDelimited("h\n1\n2\n3\n", 2, true)).toEqual([["h"], ["1"]]);
    expect(parseDelimited("h\n1\n2", 10, false)).toEqual([["h"], ["1"]]);
    expect(parseDelimited("a\tb\n1\t2", 10, true, "\t")).toEqual([["a", "b"], ["1", "2"]]);
  });
});
