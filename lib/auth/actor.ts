import { AppError } from '@/lib/errors'

export type Scope = 'read' | 'write' | 'admin'

/**
 * Whoever makes a request: a signed-in browser session, an API key (with scopes), or an anonymous
 * guest of one watch-together room (socket only, read scope only; userId is not a User row).
 */
export interface Actor {
  userId: string
  email: string
  role: 'USER' | 'ADMIN'
  via: 'session' | 'apiKey' | 'guest'
  scopes: Scope[]
  apiKeyId?: string
  /** Guests: the one room they were let into. */
  guestRoomId?: string
}

export const isAdmin = (a: Actor | null | undefined): boolean => !!a && a.role === 'ADMIN' && (a.via === 'session' || a.scopes.includes('admin'))

/** Throws 401 without an actor, 403 when an API key lacks the scope (sessions hold every scope their role allows). */
export function requireScope(actor: Actor | null, scope: Scope): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in or send an API key.')
  if (actor.via === 'guest' && !actor.scopes.includes(scope)) throw new AppError('FORBIDDEN', 'Guests may watch, not change anything.')
  if (actor.via === 'apiKey' && !actor.scopes.includes(scope)) {
    throw new AppError('FORBIDDEN', `This API key lacks the "${scope}" scope.`)
  }
  if (scope === 'admin' && actor.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Admins only.')
  return actor
}
