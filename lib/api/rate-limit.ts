import { env } from '@/lib/config/env'

// Per-API-key rate limit: a token bucket per key, refilled continuously, in this process's
// memory. With several web nodes each node applies the limit on its own (a client spread over N
// nodes gets up to N times the rate); a shared store is the upgrade path when that matters.

export interface RateLimitConfig {
  perMinute: number
  burst: number
}

export interface RateDecision {
  ok: boolean
  limit: number
  remaining: number
  /** Seconds until a request would be allowed again (0 when allowed now). */
  retryAfterS: number
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>()

  constructor(
    readonly config: RateLimitConfig,
    private readonly now = () => Date.now(),
  ) {}

  /** Takes one token for `key`. */
  take(key: string): RateDecision {
    const { perMinute, burst } = this.config
    const now = this.now()
    const perMs = perMinute / 60_000
    const b = this.buckets.get(key) ?? { tokens: burst, at: now }
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs)
    b.at = now
    this.buckets.set(key, b)
    if (this.buckets.size > 50_000) this.sweep(now)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return { ok: true, limit: perMinute, remaining: Math.floor(b.tokens), retryAfterS: 0 }
    }
    return { ok: false, limit: perMinute, remaining: 0, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) }
  }

  /** Forgets full buckets (idle keys), so memory follows the number of active keys. */
  private sweep(now: number): void {
    const perMs = this.config.perMinute / 60_000
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * perMs >= this.config.burst) this.buckets.delete(k)
  }
}

let limiter: RateLimiter | undefined

/** The process's limiter for API keys, configured from API_RATE_LIMIT_PER_MINUTE / API_RATE_LIMIT_BURST. */
export function apiKeyLimiter(): RateLimiter {
  const { API_RATE_LIMIT_PER_MINUTE: perMinute, API_RATE_LIMIT_BURST: burst } = env()
  limiter ??= new RateLimiter({ perMinute, burst: burst ?? perMinute })
  return limiter
}

/** Standard rate-limit headers for a decision (draft-ietf-httpapi-ratelimit-headers plus Retry-After). */
export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    ...(d.ok ? {} : { 'Retry-After': String(d.retryAfterS) }),
  }
}
