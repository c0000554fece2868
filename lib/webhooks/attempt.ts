import { request } from 'undici'
import { type EgressPolicy, EgressRefused, urlRefusal } from './egress'
import { webhookAgent } from './egress-agent'
import type { DeliveryErrorClass } from './schemas'

// One POST to a receiver and what it came to: the status, how long it took and, on failure, a
// class and a short message. The answer's body is never kept: through a webhook a user must not
// be able to read what a server answers.

export interface AttemptResult {
  responseCode: number | null
  errorClass: DeliveryErrorClass | null
  error: string | null
  durationMs: number
}

/** Bytes of an answer read (and discarded) so the connection can be reused; longer ones are cut. */
const DRAIN_BYTES = 16 * 1024

export async function attemptDelivery(opts: {
  url: string
  body: string
  headers: Record<string, string>
  policy: EgressPolicy
  timeoutMs: number
}): Promise<AttemptResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  // A row written before URLs were checked may not even parse.
  if (!URL.canParse(opts.url)) return { responseCode: null, errorClass: 'refused', error: 'refused: not a valid URL', durationMs: 0 }
  const url = new URL(opts.url)
  const early = urlRefusal(url, opts.policy)
  if (early) return { responseCode: null, errorClass: 'refused', error: `refused: ${early}`, durationMs: 0 }
  try {
    const res = await request(url, {
      method: 'POST',
      body: opts.body,
      headers: opts.headers,
      dispatcher: webhookAgent(opts.policy),
      signal: AbortSignal.timeout(opts.timeoutMs),
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    })
    const durationMs = elapsed()
    await res.body.dump({ limit: DRAIN_BYTES }).catch(() => {})
    const ok = res.statusCode >= 200 && res.statusCode < 300
    return {
      responseCode: res.statusCode,
      errorClass: ok ? null : 'http_status',
      error: ok ? null : `HTTP ${res.statusCode}`,
      durationMs,
    }
  } catch (err) {
    return { responseCode: null, ...classifyFailure(err, opts.timeoutMs), durationMs: elapsed() }
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'])
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ENODATA'])
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/

/** A failure as a class and a message naming only the error code, never what the peer sent. */
export function classifyFailure(err: unknown, timeoutMs: number): { errorClass: DeliveryErrorClass; error: string } {
  if (err instanceof EgressRefused) return { errorClass: 'refused', error: `refused: ${err.message}` }
  const e = err as { name?: string; code?: string; cause?: { code?: string } }
  const code = e.code ?? e.cause?.code ?? ''
  if (e.name === 'TimeoutError' || TIMEOUT_CODES.has(code)) return { errorClass: 'timeout', error: `no answer within ${timeoutMs} ms` }
  if (DNS_CODES.has(code)) return { errorClass: 'dns', error: `host not found (${code})` }
  if (TLS_CODE.test(code)) return { errorClass: 'tls', error: `TLS failed (${code})` }
  if (code) return { errorClass: 'connection', error: `connection failed (${code})` }
  return { errorClass: 'connection', error: 'connection failed' }
}
