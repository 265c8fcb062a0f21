/**
 * Per-caller request rate limits for the API (tRPC and /api/v1 over HTTP): an in-process token
 * bucket per user or API token. A web process keeps its own buckets, so with N web processes a
 * caller gets up to N times the rate; that bounds abuse without a shared store.
 *
 * CAIRN_RATE_LIMIT_PER_MINUTE: sustained requests per minute per caller (default 12000; 0 turns
 * limits off). CAIRN_RATE_LIMIT_BURST: requests a caller may send at once (default 2000).
 */

export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Keeps memory bounded: beyond this many callers, buckets that have refilled completely are dropped. */
const MAX_BUCKETS = 50_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `cost` requests from `key`'s bucket: 0 when allowed, else the seconds to wait before retrying. */
  take(key: string, cost = 1): number {
    const { perMinute, burst } = this.config;
    if (perMinute <= 0) return 0;
    const now = this.now();
    const rate = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_BUCKETS) this.prune(now, rate);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - bucket.tokens) / rate / 1000));
  }

  private prune(now: number, rate: number) {
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.config.burst) this.buckets.delete(key);
  }
}

function configFromEnv(): RateLimitConfig {
  const int = (name: string, fallback: number) => {
    const raw = process.env[name];
    const value = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0 (got "${raw}")`);
    return value;
  };
  return { perMinute: int("CAIRN_RATE_LIMIT_PER_MINUTE", 12_000), burst: Math.max(1, int("CAIRN_RATE_LIMIT_BURST", 2000)) };
}

const globals = globalThis as typeof globalThis & { __cairnRateLimit?: TokenBuckets };

/**
 * Charges an API caller (`user:<id>` or `token:<id>`) for `cost` calls (a tRPC batch costs one per
 * call): 0 when allowed, else the seconds the caller should wait (Retry-After).
 */
export function chargeApiCall(key: string, cost = 1): number {
  globals.__cairnRateLimit ??= new TokenBuckets(configFromEnv());
  return globals.__cairnRateLimit.take(key, cost);
}
