import { SignJWT } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '@/lib/errors/app-error'
import { playbackKey, signPlaybackToken, verifyPlaybackToken } from '@/lib/streaming/tokens'

const KEY = playbackKey('unit-test-secret-0123456789')
const HASH = 'ab'.repeat(32)
const OTHER = 'cd'.repeat(32)

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return (err as AppError).code
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('playback tokens', () => {
  it('round-trips a URL-safe token scoped to one hash, expiring in an hour by default', async () => {
    const token = await signPlaybackToken({ hash: HASH, videoId: 'v1', epoch: 0, userId: 'user-1' }, KEY)
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(encodeURIComponent(token)).toBe(token)
    const verified = await verifyPlaybackToken(token, HASH, KEY)
    expect(verified.hash).toBe(HASH)
    expect(verified.userId).toBe('user-1')
    expect(verified).toMatchObject({ videoId: 'v1', epoch: 0 })
    const ttl = verified.expiresAt.getTime() - Date.now()
    expect(ttl).toBeGreaterThan(3590_000)
    expect(ttl).toBeLessThanOrEqual(3600_000)
  })

  it('expires after its ttl', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const token = await signPlaybackToken({ hash: HASH, videoId: 'v1', epoch: 0, ttlSeconds: 60 }, KEY)
    expect(await codeOf(verifyPlaybackToken(token, HASH, KEY))).toBe('resolved')
    vi.setSystemTime(Date.now() + 61_000)
    expect(await codeOf(verifyPlaybackToken(token, HASH, KEY))).toBe('UNAUTHENTICATED')
  })

  it('rejects a missing, malformed or forged token as UNAUTHENTICATED', async () => {
    const good = await signPlaybackToken({ hash: HASH, videoId: 'v1', epoch: 0 }, KEY)
    const [h, p, s] = good.split('.')
    const otherKey = await signPlaybackToken({ hash: HASH, videoId: 'v1', epoch: 0 }, playbackKey('another-secret-0123456789'))
    const tamperedPayload = Buffer.from(JSON.stringify({ h: HASH, aud: 'reelhouse:playback', exp: 9999999999 })).toString('base64url')
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`
    for (const token of [undefined, '', 'garbage', `${h}.${p}`, `${h}.${tamperedPayload}.${s}`, otherKey, unsigned, `${good}x`]) {
      expect(await codeOf(verifyPlaybackToken(token, HASH, KEY)), String(token)).toBe('UNAUTHENTICATED')
    }
  })

  it('rejects a validly signed JWT that is not a playback token', async () => {
    const now = Math.floor(Date.now() / 1000)
    const noAudience = await new SignJWT({ h: HASH })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now + 60)
      .sign(KEY)
    const noExpiry = await new SignJWT({ h: HASH }).setProtectedHeader({ alg: 'HS256' }).setAudience('reelhouse:playback').sign(KEY)
    const noHash = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('reelhouse:playback')
      .setExpirationTime(now + 60)
      .sign(KEY)
    for (const token of [noAudience, noExpiry, noHash]) {
      expect(await codeOf(verifyPlaybackToken(token, HASH, KEY))).toBe('UNAUTHENTICATED')
    }
  })

  it('rejects a valid token for other content as FORBIDDEN', async () => {
    const token = await signPlaybackToken({ hash: OTHER, videoId: 'v1', epoch: 0 }, KEY)
    expect(await codeOf(verifyPlaybackToken(token, HASH, KEY))).toBe('FORBIDDEN')
  })

  it('refuses to sign for a non-hash or a non-positive ttl', async () => {
    expect(await codeOf(signPlaybackToken({ hash: 'nope', videoId: 'v1', epoch: 0 }, KEY))).toBe('INVALID_INPUT')
    expect(await codeOf(signPlaybackToken({ hash: HASH, videoId: 'v1', epoch: 0, ttlSeconds: 0 }, KEY))).toBe('INVALID_INPUT')
  })

  it('derives different keys from different secrets and refuses short ones', () => {
    expect(Buffer.from(playbackKey('a'.repeat(16))).equals(Buffer.from(playbackKey('b'.repeat(16))))).toBe(false)
    expect(() => playbackKey('short')).toThrow()
  })
})
