/**
 * Counts of distinct strings, bounded in memory. Up to `capacity` distinct values are counted exactly;
 * beyond that a HyperLogLog sketch takes over the distinct count and the table keeps only heavy
 * hitters: when it fills, values seen no more often than the median are dropped (a batch variant of
 * Misra–Gries), so the top counts become lower bounds for long-tailed text columns.
 */
import { HyperLogLog } from "./hyperloglog";

export interface ValueCount {
  value: string;
  count: number;
}

// V8 keeps substrings of 13+ characters as views into the parent string; copying the few retained
// keys stops a kept category from pinning a whole parsed chunk of input in memory.
const SLICED_STRING_MIN_LENGTH = 13;
function detach(s: string): string {
  return s.length < SLICED_STRING_MIN_LENGTH ? s : (" " + s).slice(1);
}

/** Counts of distinct strings with bounded memory (see the module comment). */
export class StringCounter {
  private index = new Map<string, number>();
  private keys: string[] = [];
  private counts = new Float64Array(64);
  private sketch: HyperLogLog | null = null;

  constructor(private readonly capacity: number) {}

  add(s: string): void {
    const i = this.index.get(s);
    if (i !== undefined) this.counts[i]!++;
    else this.insert(s, 1);
  }

  addCount(s: string, count: number): void {
    if (count <= 0) return;
    const i = this.index.get(s);
    if (i !== undefined) this.counts[i]! += count;
    else this.insert(s, count);
  }

  /** True once more distinct values were seen than the table holds. */
  get overflowed(): boolean {
    return this.sketch !== null;
  }

  /** Exact number of distinct values, or the HyperLogLog estimate once overflowed. */
  get distinct(): number {
    if (this.sketch === null) return this.keys.length;
    return Math.max(this.keys.length, Math.round(this.sketch.estimate()));
  }

  /** The k most frequent values, by count descending then value ascending. */
  top(k: number): ValueCount[] {
    const order = Array.from({ length: this.keys.length }, (_, i) => i);
    const counts = this.counts;
    const keys = this.keys;
    order.sort((a, b) => counts[b]! - counts[a]! || (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    return order.slice(0, k).map((i) => ({ value: keys[i]!, count: counts[i]! }));
  }

  private insert(s: string, count: number): void {
    if (this.sketch !== null) this.sketch.addString(s);
    if (this.keys.length === this.capacity) {
      if (this.sketch === null) {
        this.sketch = new HyperLogLog();
        for (const key of this.keys) this.sketch.addString(key);
        this.sketch.addString(s);
      }
      this.prune();
    }
    const i = this.keys.length;
    if (i === this.counts.length) {
      const grown = new Float64Array(Math.min(this.capacity, i * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    const key = detach(s);
    this.keys.push(key);
    this.counts[i] = count;
    this.index.set(key, i);
  }

  private prune(): void {
    const n = this.keys.length;
    const sorted = this.counts.slice(0, n).sort();
    const threshold = sorted[n >> 1]!;
    const keys: string[] = [];
    const counts = new Float64Array(this.counts.length);
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const c = this.counts[i]!;
      if (c <= threshold) continue;
      counts[keys.length] = c;
      index.set(this.keys[i]!, keys.length);
      keys.push(this.keys[i]!);
    }
    this.keys = keys;
    this.counts = counts;
    this.index = index;
  }
}
