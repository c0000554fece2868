import { type Actor, isAdmin, requireScope } from '@/lib/auth/actor'
import type { Prisma } from '@/lib/db'

// Who may see and command what. Kept in one place so the socket server, the REST routes and the
// tests agree.

/** Any signed-in actor may look (API keys need "read"). */
export const requireRead = (actor: Actor | null): Actor => requireScope(actor, 'read')
/** Changing state needs "write" for API keys. */
export const requireWrite = (actor: Actor | null): Actor => requireScope(actor, 'write')

/**
 * A room is visible to its owner and admins; a non-personal room is also visible to any
 * signed-in user who knows its id (watch-together links). Personal rooms belong to one browser
 * session of their owner, so only the owner and admins may see them.
 */
export function canViewRoom(actor: Actor, room: { ownerId: string; personal: boolean }): boolean {
  return room.ownerId === actor.userId || isAdmin(actor) || !room.personal
}

/** Only the owner and admins move a room's playback. */
export function canCommandRoom(actor: Actor, room: { ownerId: string }): boolean {
  return room.ownerId === actor.userId || isAdmin(actor)
}

/** Videos the actor may see: processed public and unlisted ones, their own, or all for admins. */
export function visibleVideoWhere(actor: Actor): Prisma.VideoWhereInput {
  if (isAdmin(actor)) return {}
  return { OR: [{ visibility: { in: ['PUBLIC', 'UNLISTED'] }, content: { state: 'STORED' } }, { ownerId: actor.userId }] }
}
