import { getToken } from 'next-auth/jwt'
import { env } from '@/lib/config/env'
import { db } from '@/lib/db'
import type { Actor } from './actor'
import { actorFromApiKey } from './api-keys'

/** Cookie pairs; one with a malformed %-escape is skipped (as Next's own parser does), never an error. */
function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i <= 0) continue
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim())
    } catch {
      // someone else's cookie, or garbage: not a session either way
    }
  }
  return out
}

/** The signed-in user behind a next-auth session cookie header, re-read so disabled users, role changes and password resets apply at once. */
export async function actorFromCookies(cookieHeader: string | null | undefined): Promise<Actor | null> {
  const cookies = parseCookies(cookieHeader)
  if (!Object.keys(cookies).some((k) => k.includes('next-auth.session-token'))) return null
  const token = await getToken({
    req: { cookies, headers: {} } as never,
    secret: env().NEXTAUTH_SECRET,
  }).catch(() => null)
  const uid = typeof token?.uid === 'string' ? token.uid : null
  if (!uid) return null
  const user = await db.user.findUnique({ where: { id: uid } })
  if (!user || user.disabled) return null
  // Cookies from before a password reset carry an older epoch (those from before epochs existed, none: 0).
  const epoch = typeof token?.epoch === 'number' ? token.epoch : 0
  if (epoch !== user.sessionEpoch) return null
  return { userId: user.id, email: user.email, role: user.role, via: 'session', scopes: ['read', 'write', 'admin'] }
}

/** `Authorization: Bearer <api key>` first, then the session cookie. */
export async function actorFromHeaders(headers: { authorization?: string | null; cookie?: string | null }): Promise<Actor | null> {
  const auth = headers.authorization
  if (auth?.toLowerCase().startsWith('bearer ')) return actorFromApiKey(auth.slice(7).trim())
  return actorFromCookies(headers.cookie)
}

export const actorFromRequest = (req: Request): Promise<Actor | null> =>
  actorFromHeaders({ authorization: req.headers.get('authorization'), cookie: req.headers.get('cookie') })
