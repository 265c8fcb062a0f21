/**
 * Fitting an encoding spec on training rows, one row at a time (a training split can be streamed):
 * each feature's kind from what its present cells hold, categorical vocabularies, and for binary
 * tasks which target labels are positive.
 */
import { CellReader, DEFAULT_MISSING_TOKENS, type Cell } from "./cells";
import { ENCODING_VERSION, type EncodingSpec, type FeatureKind, type TargetEncoding } from "./spec";

// Beyond this many distinct values a column is an identifier or free text: its vocabulary is not kept.
export const MAX_VOCABULARY = 10_000;
const BOOLEAN_KEYS = new Set(["0", "1"]);
// Label words read as the positive class when a binary target is text (case-insensitive).
const POSITIVE_WORDS = new Set(["yes", "y", "positive", "pos"]);

/** What fitting needs to know besides the rows. */
export interface FitOptions {
  features: readonly string[];
  target?: { name: string; task: "regression" | "binary"; positiveLabel?: string } | null;
  missingTokens?: readonly string[];
  /**
   * The model's own input types where they are known (a model built outside Cairn): "string" makes a
   * feature categorical, "float" keeps it a float feature whatever its cells hold.
   */
  inputTypes?: Readonly<Record<string, "float" | "string">>;
}

interface Tally {
  present: number;
  number: number;
  boolean: number;
  date: number;
  categories: Set<string> | null;
}

/** Accumulates rows and returns the spec; `add` every training row, then `finish`. */
export class EncodingFitter {
  private readonly reader: CellReader;
  private readonly tallies: Tally[];
  private readonly labels = new Set<string>();
  private readonly missingTokens: string[];

  constructor(private readonly options: FitOptions) {
    this.missingTokens = [...(options.missingTokens ?? DEFAULT_MISSING_TOKENS)];
    this.reader = new CellReader(this.missingTokens);
    this.tallies = options.features.map(() => ({ present: 0, number: 0, boolean: 0, date: 0, categories: new Set<string>() }));
  }

  add(row: Readonly<Record<string, Cell>>): void {
    const reader = this.reader;
    this.options.features.forEach((name, j) => {
      const t = this.tallies[j]!;
      const cell = row[name];
      const c = reader.classify(cell);
      if (c === "missing") return;
      t.present++;
      if (c === "number") t.number++;
      else if (c === "boolean") t.boolean++;
      else if (c === "date") t.date++;
      if (t.categories) {
        t.categories.add(reader.category(cell)!);
        if (t.categories.size > MAX_VOCABULARY) t.categories = null;
      }
    });
    const target = this.options.target;
    if (target?.task === "binary") {
      const key = reader.labelKey(row[target.name]);
      // A third label is already an error; the cap keeps a wrong task from collecting a whole column.
      if (key !== null && this.labels.size <= 2) this.labels.add(key);
    }
  }

  finish(): EncodingSpec {
    const features = this.options.features.map((name, j) => {
      const t = this.tallies[j]!;
      const declared = this.options.inputTypes?.[name];
      let kind: FeatureKind =
        t.present === 0 || t.number === t.present ? "numeric" : t.boolean === t.present ? "boolean" : t.date === t.present ? "date" : "categorical";
      if (declared === "string") kind = "categorical";
      else if (declared === "float" && kind === "categorical") kind = "numeric";
      if (kind !== "categorical") return { name, kind };
      return { name, kind, categories: t.categories ? [...t.categories].sort() : null };
    });
    return { version: ENCODING_VERSION, missingTokens: this.missingTokens, features, target: this.targetEncoding() };
  }

  private targetEncoding(): TargetEncoding | null {
    const target = this.options.target;
    if (!target) return null;
    if (target.task === "regression") return { name: target.name, task: "regression" };
    const labels = [...this.labels].sort();
    if (labels.length > 2) throw new RangeError(`target "${target.name}" has more than two labels (${labels.join(", ")}, …); a binary task needs two`);
    if (target.positiveLabel !== undefined) {
      const positive = this.reader.labelKey(target.positiveLabel);
      if (positive === null || (labels.length > 0 && !labels.includes(positive))) throw new RangeError(`positive label "${target.positiveLabel}" is not one of the target's labels (${labels.join(", ")})`);
      return { name: target.name, task: "binary", positive: [positive], negative: labels.filter((l) => l !== positive) };
    }
    if (labels.every((l) => BOOLEAN_KEYS.has(l))) return { name: target.name, task: "binary", positive: ["1"], negative: ["0"] };
    // Text labels: a word that says "positive", else the later label in sorted order (scikit-learn's classes_[1]).
    const positive = labels.find((l) => POSITIVE_WORDS.has(l.toLowerCase())) ?? labels[labels.length - 1]!;
    return { name: target.name, task: "binary", positive: [positive], negative: labels.filter((l) => l !== positive) };
  }
}

/** Fits a spec on rows held in memory. */
export function fitEncodingSpec(rows: Iterable<Readonly<Record<string, Cell>>>, options: FitOptions): EncodingSpec {
  const fitter = new EncodingFitter(options);
  for (const row of rows) fitter.add(row);
  return fitter.finish();
}
