import type { Actor } from './actor'
import { actorFromApiKey } from './api-keys'
import { actorFromCookies } from './current'

/** socket.io handshake: an API key in `auth: { token }` (headless players, third parties), else the session cookie. */
export async function actorFromHandshake(handshake: { headers: { cookie?: string }; auth: Record<string, unknown> }): Promise<Actor | null> {
  const token = handshake.auth?.token
  if (typeof token === 'string' && token) return actorFromApiKey(token)
  return actorFromCookies(handshake.headers.cookie)
}
