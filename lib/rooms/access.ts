import { type Actor, isAdmin, requireScope } from '@/lib/auth/actor'
import { Prisma } from '@/lib/db'

// Who may see and command what. Kept in one place so the socket server, the REST routes and the
// tests agree.

/** Any signed-in actor may look (API keys need "read"). */
export const requireRead = (actor: Actor | null): Actor => requireScope(actor, 'read')
/** Changing state needs "write" for API keys. */
export const requireWrite = (actor: Actor | null): Actor => requireScope(actor, 'write')

/** What the access rules read of a room; `members` holds the actor's own membership, if any. */
export interface RoomAccessFacts {
  id: string
  ownerId: string
  personal: boolean
  mode: 'remote' | 'together'
  control: 'host' | 'everyone'
  guests: boolean
  members: { userId: string }[]
}

/** The Prisma `select` that loads RoomAccessFacts for `actor`. */
export const roomAccessSelect = (actor: Actor) =>
  ({
    id: true,
    ownerId: true,
    personal: true,
    mode: true,
    control: true,
    guests: true,
    members: { where: { userId: actor.userId }, select: { userId: true } },
  }) as const

const isMember = (actor: Actor, room: RoomAccessFacts) => room.members.some((m) => m.userId === actor.userId)

/**
 * A remote room is visible to its owner and admins, and (not a personal one) to any signed-in user
 * who knows its id. Personal rooms belong to one browser session of their owner. A together room
 * is visible to its owner, admins and its members (who joined with the invite), and, when it
 * admits guests, to the guests let into it.
 */
export function canViewRoom(actor: Actor, room: RoomAccessFacts): boolean {
  if (actor.via === 'guest') return room.mode === 'together' && room.guests && actor.guestRoomId === room.id
  if (room.ownerId === actor.userId || isAdmin(actor)) return true
  if (room.mode === 'together') return isMember(actor, room)
  return !room.personal
}

/** The owner and admins move a room's playback; in a together room with control "everyone", so do its members. */
export function canCommandRoom(actor: Actor, room: RoomAccessFacts): boolean {
  if (room.ownerId === actor.userId || isAdmin(actor)) return true
  return room.mode === 'together' && room.control === 'everyone' && isMember(actor, room)
}

/** canCommandRoom as a condition on "Room", for statements that authorise and change in one step. */
export function commandAllowedSql(actor: Actor): Prisma.Sql {
  return Prisma.sql`("Room"."ownerId" = ${actor.userId} OR ${isAdmin(actor)}::boolean
    OR ("Room"."mode" = 'together' AND "Room"."control" = 'everyone'
      AND EXISTS (SELECT 1 FROM "RoomMember" m WHERE m."roomId" = "Room"."id" AND m."userId" = ${actor.userId})))`
}

/** Videos the actor may see: processed public and unlisted ones, their own, or all for admins. */
export function visibleVideoWhere(actor: Actor): Prisma.VideoWhereInput {
  if (isAdmin(actor)) return {}
  return { OR: [{ visibility: { in: ['PUBLIC', 'UNLISTED'] }, content: { state: 'STORED' } }, { ownerId: actor.userId }] }
}
