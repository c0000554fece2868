import type { IncomingHttpHeaders } from 'node:http'
import type { Actor } from './actor'
import { actorFromApiKey } from './api-keys'
import { actorFromCookies } from './current'
import { actorFromGuestToken } from './guest'
import { authenticatesByCookie, crossSiteRefusal, isSameOrigin, originHeaders } from './same-origin'

/**
 * socket.io handshake: an API key in `auth: { token }` (headless players, third parties), a
 * watch-together guest's token in `auth: { guest }`, else the session cookie. A cookie handshake from another site's page (cross-site WebSocket hijacking)
 * throws FORBIDDEN.
 */
export async function actorFromHandshake(handshake: { headers: IncomingHttpHeaders; auth: Record<string, unknown> }): Promise<Actor | null> {
  const token = handshake.auth?.token
  if (typeof token === 'string' && token) return actorFromApiKey(token)
  const guest = handshake.auth?.guest
  if (typeof guest === 'string' && guest) return actorFromGuestToken(guest)
  if (authenticatesByCookie(handshake.headers) && !isSameOrigin(originHeaders(handshake.headers))) throw crossSiteRefusal()
  return actorFromCookies(handshake.headers.cookie)
}
