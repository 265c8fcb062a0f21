/** Seeded randomness for reproducible sampling: xoshiro128** and reservoir sampling. */

function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

// xoshiro128** (Blackman and Vigna): fast, 2^128 − 1 period, and the same stream on every platform,
// so profiles are reproducible from their seed.
/** Seeded pseudo-random generator (xoshiro128** seeded through splitmix32). */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let state = seed | 0;
    let out: number;
    [state, out] = splitmix32(state);
    this.s0 = out;
    [state, out] = splitmix32(state);
    this.s1 = out;
    [state, out] = splitmix32(state);
    this.s2 = out;
    [, out] = splitmix32(state);
    this.s3 = out;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const scrambled = Math.imul(s1, 5);
    const result = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform double in the open interval (0, 1), safe to take the logarithm of. */
  nextOpen(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low + 0.5) / 9007199254740992;
  }

  /**
   * Fills `out` with uniform integers in [0, n) for 1 ≤ n < 2^32, without bias (Lemire's multiply-and-reject).
   * The same stream as calling nextUint32() in turn; the state lives in locals so hot loops such as the
   * bootstrap's millions of draws run several times faster than one method call per draw.
   */
  fillBelow(out: Uint32Array, n: number): void {
    if (!(Number.isInteger(n) && n >= 1 && n <= 4294967295)) throw new RangeError(`fillBelow: n must be an integer in [1, 2^32 − 1], got ${n}`);
    const threshold = (4294967296 - n) % n;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const small = n <= 2097152;
    const nHigh = n >>> 16;
    const nLow = n & 0xffff;
    for (let i = 0; i < out.length; ) {
      const scrambled = Math.imul(s1, 5);
      const result = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      let high: number;
      let low: number;
      if (small) {
        // result · n < 2^53: exact in a double, and high < 2^21 so truncation by | 0 is the floor.
        const product = result * n;
        high = (product * 2.3283064365386963e-10) | 0;
        low = product - high * 4294967296;
      } else {
        // Up to 2^64: split n in 16-bit halves so every partial product stays exact.
        const upper = result * nHigh;
        const upperHigh = Math.floor(upper / 65536);
        const rest = (upper - upperHigh * 65536) * 65536 + result * nLow;
        const carry = Math.floor(rest * 2.3283064365386963e-10);
        high = upperHigh + carry;
        low = rest - carry * 4294967296;
      }
      if (low < threshold) continue;
      out[i++] = high;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Fills `out` with raw 32-bit outputs: the same stream as nextUint32() in turn, without a call per value. */
  fillUint32(out: Uint32Array): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < out.length; i++) {
      const scrambled = Math.imul(s1, 5);
      out[i] = Math.imul((scrambled << 7) | (scrambled >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Uniform integer in [0, n) for n ≤ 2^53; the bias is below n / 2^53. */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** k distinct indices drawn uniformly from [0, n) (Floyd's algorithm), ascending. */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = rng.nextInt(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Array.from(chosen).sort((a, b) => a - b);
}

// Li's Algorithm L: after the reservoir fills only O(k log(n / k)) random draws are made, so offering
// a value is usually one comparison.
/** Uniform reservoir sample of a stream of numbers. */
export class Reservoir {
  readonly values: Float64Array;
  private seen: number;
  private nextIndex = 0;
  private w = 0;

  /** `values` may arrive already holding the first `filled` items of the stream. */
  constructor(
    capacity: number,
    private readonly rng: Rng,
    values?: Float64Array,
    filled = 0,
  ) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError("Reservoir: capacity must be a positive integer");
    this.values = values ?? new Float64Array(capacity);
    if (this.values.length !== capacity) throw new RangeError("Reservoir: buffer length must equal capacity");
    this.seen = filled;
    if (filled >= capacity) this.startSkipping();
  }

  /** Number of values offered so far. */
  get count(): number {
    return this.seen;
  }

  /** Number of values held (≤ capacity). */
  get size(): number {
    return Math.min(this.seen, this.values.length);
  }

  offer(x: number): void {
    const i = this.seen++;
    const k = this.values.length;
    if (i < k) {
      this.values[i] = x;
      if (i === k - 1) this.startSkipping();
      return;
    }
    if (i !== this.nextIndex) return;
    this.values[this.rng.nextInt(k)] = x;
    this.w *= Math.exp(Math.log(this.rng.nextOpen()) / k);
    this.nextIndex += Math.floor(Math.log(this.rng.nextOpen()) / Math.log1p(-this.w)) + 1;
  }

  private startSkipping(): void {
    const k = this.values.length;
    this.w = Math.exp(Math.log(this.rng.nextOpen()) / k);
    this.nextIndex = this.seen + Math.floor(Math.log(this.rng.nextOpen()) / Math.log1p(-this.w));
  }
}
