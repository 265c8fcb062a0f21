import { Document, LineCounter, isScalar, parseDocument, visit } from "yaml";

/**
 * The policy editor keeps one source of truth, the YAML text: the form reads its fields from the
 * parsed document and writes by editing that document, so switching tabs loses nothing and the
 * author's comments survive form edits. The server validates on save (one schema, line-numbered errors).
 */
export type Path = (string | number)[];

export interface ParsedPolicy {
  doc: Document | null;
  /** The YAML syntax error, with its line, when the text does not parse. */
  error: string | null;
}

export function parsePolicy(text: string): ParsedPolicy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lineCounter.linePos(err.pos[0]).line;
    return { doc: null, error: `line ${line}: ${err.message.split("\n")[0]}` };
  }
  return { doc, error: null };
}

export function getIn(doc: Document, path: Path): unknown {
  const value = doc.getIn(path);
  return value && typeof value === "object" && "toJSON" in value ? (value as { toJSON: () => unknown }).toJSON() : value;
}

/** The text with `path` set to `value` (undefined removes it); block style throughout. */
export function setIn(text: string, path: Path, value: unknown): string {
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0) return text;
  let doc: Document = parsed;
  if (parsed.contents === null) {
    // Empty text, or comments only: a fresh mapping that keeps the comments.
    doc = new Document({});
    doc.commentBefore = parsed.commentBefore ?? parsed.comment;
  }
  if (value === undefined) doc.deleteIn(path);
  else {
    const existing = doc.getIn(path, true);
    if (isScalar(existing) && (value === null || typeof value !== "object")) {
      // Keep the node (and the comment on it) but not its old quoting: an empty "" written first would keep its quotes.
      existing.value = value;
      existing.type = undefined;
    } else doc.setIn(path, doc.createNode(value));
  }
  visit(doc, {
    Map(_, node) {
      node.flow = false;
    },
    Seq(_, node) {
      node.flow = false;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

export const asNumber = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
