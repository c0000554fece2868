import { hkdfSync, randomBytes } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import { env } from '@/lib/config/env'
import { AppError } from '@/lib/errors'
import type { Actor } from './actor'

// Anonymous guests of a watch-together room: a signed token names the room, a random guest id and
// a display name. It is only ever accepted by the /player socket handshake, and the actor it makes
// may read that one room (lib/rooms/access.ts) and nothing else.

const AUDIENCE = 'reelhouse:room-guest'
const ALGORITHM = 'HS256'
export const GUEST_TTL_SECONDS = 12 * 3600

let key: Uint8Array | null = null
function guestKey(): Uint8Array {
  const secret = env().NEXTAUTH_SECRET ?? ''
  if (secret.length < 16) throw new AppError('UNAVAILABLE', 'Guests need NEXTAUTH_SECRET.')
  key ??= new Uint8Array(hkdfSync('sha256', secret, 'reelhouse', 'room-guest-v1', 32))
  return key
}

export interface GuestGrant {
  token: string
  guestId: string
  name: string
}

/** A fresh guest of `roomId`. */
export async function signGuestToken(roomId: string): Promise<GuestGrant> {
  const guestId = `guest_${randomBytes(9).toString('base64url')}`
  const name = `Guest ${guestId.slice(6, 10)}`
  const token = await new SignJWT({ r: roomId, n: name })
    .setProtectedHeader({ alg: ALGORITHM })
    .setAudience(AUDIENCE)
    .setSubject(guestId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + GUEST_TTL_SECONDS)
    .sign(guestKey())
  return { token, guestId, name }
}

/** The guest actor of a token, or null when it is not a valid, unexpired guest token. */
export async function actorFromGuestToken(token: string): Promise<Actor | null> {
  if (token.length > 2048) return null
  try {
    const { payload } = await jwtVerify(token, guestKey(), { algorithms: [ALGORITHM], audience: AUDIENCE, requiredClaims: ['exp', 'sub'] })
    if (typeof payload.r !== 'string' || typeof payload.n !== 'string' || typeof payload.sub !== 'string') return null
    return { userId: payload.sub, email: payload.n, role: 'USER', via: 'guest', scopes: ['read'], guestRoomId: payload.r }
  } catch {
    return null
  }
}
