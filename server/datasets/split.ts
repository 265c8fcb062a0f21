import type { SplitConfig, SplitName } from "./schemas";

/** FNV-1a (32-bit) of a string: fast, stable across processes and versions, good enough to spread keys. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so that keys differing in one character land far apart.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Position in [0, 1) of a row: by its key when the split has one, else by its row number. */
export function splitUnit(seed: number, key: string | number): number {
  return fnv1a(`${seed}:${key}`) / 2 ** 32;
}

export function splitFor(config: SplitConfig, unit: number): SplitName {
  if (unit < config.ratios.train) return "train";
  if (unit < config.ratios.train + config.ratios.validation) return "validation";
  return "test";
}

/** Assigns rows to splits in stream order; the same rows in the same order always get the same splits. */
export class SplitAssigner {
  private index = 0;
  readonly counts: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  private readonly keyIndex: number;

  constructor(
    private readonly config: SplitConfig,
    columns: string[],
  ) {
    this.keyIndex = config.keyColumn ? columns.indexOf(config.keyColumn) : -1;
  }

  next(row: readonly unknown[]): SplitName {
    const key = this.keyIndex >= 0 ? String(row[this.keyIndex] ?? "") : this.index;
    this.index++;
    const split = splitFor(this.config, splitUnit(this.config.seed, key));
    this.counts[split]++;
    return split;
  }
}
