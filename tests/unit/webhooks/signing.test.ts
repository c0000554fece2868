import { describe, expect, it } from 'vitest'
import { WEBHOOK_POLICY, webhookBackoffMs } from '@/lib/webhooks/policy'
import { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from '@/lib/webhooks/signing'
import { createHmac } from 'node:crypto'

describe('webhook signatures', () => {
  const secret = newWebhookSecret()
  const body = JSON.stringify({ id: 'evt_1', type: 'video.ready', data: { video: { id: 'v1' } } })

  it('signs timestamp + "." + body with HMAC-SHA256, as documented', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000)
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex')
    expect(header).toBe(`t=1700000000,v1=${expected}`)
  })

  it('verifies its own signature within the tolerance', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000)
    expect(verifyWebhookSignature({ header, body, secret, now: 1_700_000_100 })).toEqual({ ok: true, timestamp: 1_700_000_000 })
  })

  it('rejects a changed body, another secret, an old timestamp and garbage', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000)
    const now = 1_700_000_000
    expect(verifyWebhookSignature({ header, body: `${body} `, secret, now })).toEqual({ ok: false, reason: 'mismatch' })
    expect(verifyWebhookSignature({ header, body, secret: newWebhookSecret(), now })).toEqual({ ok: false, reason: 'mismatch' })
    expect(verifyWebhookSignature({ header, body, secret, now: now + 301 })).toEqual({ ok: false, reason: 'expired' })
    for (const bad of [null, '', 't=abc,v1=00', `v1=${'0'.repeat(64)}`, 't=1700000000', 't=1700000000,v1=zz']) {
      expect(verifyWebhookSignature({ header: bad, body, secret, now })).toEqual({ ok: false, reason: 'malformed' })
    }
  })

  it('accepts any of several v1 entries (secret rotation)', () => {
    const good = signWebhookBody(secret, body, 1_700_000_000).split(',')[1]
    const header = `t=1700000000,v1=${'a'.repeat(64)},${good}`
    expect(verifyWebhookSignature({ header, body, secret, now: 1_700_000_000 }).ok).toBe(true)
  })

  it('makes distinct, prefixed secrets', () => {
    const a = newWebhookSecret()
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(newWebhookSecret())
  })
})

describe('delivery backoff', () => {
  const mid = () => 0.5
  it('doubles from the base and stops at the cap', () => {
    expect(webhookBackoffMs(1, WEBHOOK_POLICY, mid)).toBe(WEBHOOK_POLICY.backoffBaseMs)
    expect(webhookBackoffMs(2, WEBHOOK_POLICY, mid)).toBe(WEBHOOK_POLICY.backoffBaseMs * 2)
    expect(webhookBackoffMs(4, WEBHOOK_POLICY, mid)).toBe(WEBHOOK_POLICY.backoffBaseMs * 8)
    expect(webhookBackoffMs(30, WEBHOOK_POLICY, mid)).toBe(WEBHOOK_POLICY.backoffMaxMs)
  })
  it('jitters by at most 10 %', () => {
    expect(webhookBackoffMs(3, WEBHOOK_POLICY, () => 0)).toBe(Math.round(WEBHOOK_POLICY.backoffBaseMs * 4 * 0.9))
    expect(webhookBackoffMs(3, WEBHOOK_POLICY, () => 1)).toBe(Math.round(WEBHOOK_POLICY.backoffBaseMs * 4 * 1.1))
  })
  it('gives up after about four hours of attempts', () => {
    let total = 0
    for (let a = 1; a < WEBHOOK_POLICY.maxAttempts; a++) total += webhookBackoffMs(a, WEBHOOK_POLICY, mid)
    expect(total / 3_600_000).toBeGreaterThan(2)
    expect(total / 3_600_000).toBeLessThan(8)
  })
})
