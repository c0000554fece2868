import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// Webhook signatures, Stripe-style: `Reelhouse-Signature: t=<unix seconds>,v1=<hex>` where the hex
// is HMAC-SHA256(secret, `${t}.${rawBody}`). The timestamp is signed with the body so a captured
// request cannot be replayed later; receivers reject signatures older than a few minutes.

/** Default window in which a receiver accepts a signature (seconds either side of now). */
export const SIGNATURE_TOLERANCE_SECONDS = 300

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`

export const secretHint = (secret: string): string => `${secret.slice(0, 10)}…`

const hmac = (secret: string, timestamp: number, body: string): string => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')

/** The header value for `body` signed at `timestamp` (unix seconds). */
export function signWebhookBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' }

/**
 * Checks a `Reelhouse-Signature` header against the raw body (exactly the bytes received, before any
 * JSON parsing). Several `v1=` entries are allowed (one per active secret while rotating).
 */
export function verifyWebhookSignature(opts: {
  header: string | null | undefined
  body: string
  secret: string
  toleranceSeconds?: number
  now?: number
}): SignatureCheck {
  const parts = (opts.header ?? '').split(',').map((p) => p.trim().split('='))
  const t = Number(parts.find(([k]) => k === 't')?.[1])
  const candidates = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => v)
  if (!Number.isInteger(t) || t <= 0 || candidates.length === 0) return { ok: false, reason: 'malformed' }
  const now = opts.now ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'expired' }
  const expected = Buffer.from(hmac(opts.secret, t, opts.body), 'hex')
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected))
  return match ? { ok: true, timestamp: t } : { ok: false, reason: 'mismatch' }
}
