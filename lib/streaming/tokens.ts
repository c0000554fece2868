import { hkdfSync } from 'node:crypto'
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import { HASH_RE } from '@/lib/content/paths'
import { AppError } from '@/lib/errors/app-error'

/** Seed 002: playback links live for an hour unless the caller asks otherwise. */
export const DEFAULT_PLAYBACK_TTL_SECONDS = 3600
const AUDIENCE = 'reelhouse:playback'
const ALGORITHM = 'HS256'
// A compact JWS is three base64url parts: safe as a URL path segment without escaping.
const TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

export interface PlaybackClaims {
  hash: string
  /** The video the token was minted for, and its token epoch then (see lib/videos/playback-grant.ts). */
  videoId: string
  epoch: number
  userId?: string
  ttlSeconds?: number
}

export interface VerifiedPlayback {
  hash: string
  videoId: string
  epoch: number
  userId?: string
  expiresAt: Date
}

/** A key used for nothing else, derived from the app secret (e.g. NEXTAUTH_SECRET), computed once at start-up. */
export function playbackKey(appSecret: string): Uint8Array {
  if (appSecret.length < 16) throw new Error('playback key secret must be at least 16 characters')
  return new Uint8Array(hkdfSync('sha256', appSecret, 'reelhouse', 'playback-token-v1', 32))
}

/**
 * Signed, expiring, URL-safe token that opens one content hash (HS256) for as long as the video it
 * was minted for lets its subject see it (checked by the caller of verifyPlaybackToken).
 */
export async function signPlaybackToken(claims: PlaybackClaims, key: Uint8Array): Promise<string> {
  if (!HASH_RE.test(claims.hash)) throw new AppError('INVALID_INPUT', 'Not a content hash.')
  const ttl = claims.ttlSeconds ?? DEFAULT_PLAYBACK_TTL_SECONDS
  if (!Number.isInteger(ttl) || ttl <= 0) throw new AppError('INVALID_INPUT', 'ttlSeconds must be a positive integer.')
  const jwt = new SignJWT({ h: claims.hash, v: claims.videoId, e: claims.epoch })
    .setProtectedHeader({ alg: ALGORITHM })
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
  if (claims.userId !== undefined) jwt.setSubject(claims.userId)
  return jwt.sign(key)
}

async function verifiedPayload(token: string, key: Uint8Array): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], audience: AUDIENCE, requiredClaims: ['exp'] })
    return payload
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError('UNAUTHENTICATED', 'The playback token has expired.')
    throw new AppError('UNAUTHENTICATED', 'The playback token is invalid.')
  }
}

/**
 * Checks a playback token for one content hash. Missing, malformed, forged or expired tokens are
 * UNAUTHENTICATED; a valid token for a different content is FORBIDDEN.
 */
export async function verifyPlaybackToken(token: string | undefined, hash: string, key: Uint8Array): Promise<VerifiedPlayback> {
  if (token === undefined || token === '') throw new AppError('UNAUTHENTICATED', 'A playback token is required.')
  if (!TOKEN_RE.test(token)) throw new AppError('UNAUTHENTICATED', 'The playback token is malformed.')
  const payload = await verifiedPayload(token, key)
  if (typeof payload.h !== 'string' || !HASH_RE.test(payload.h) || typeof payload.v !== 'string' || !Number.isInteger(payload.e)) {
    throw new AppError('UNAUTHENTICATED', 'The playback token is invalid.')
  }
  if (payload.h !== hash) throw new AppError('FORBIDDEN', 'The playback token is for other content.')
  return { hash: payload.h, videoId: payload.v, epoch: payload.e as number, userId: payload.sub, expiresAt: new Date((payload.exp as number) * 1000) }
}
