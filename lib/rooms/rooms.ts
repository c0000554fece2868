import type { Actor } from '@/lib/auth/actor'
import { isAdmin } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { clientIdSchema, type RoomState } from '@/lib/realtime/protocol'
import { canViewRoom, requireRead, requireWrite } from './access'
import { createRoomInput, type CreateRoomInput, type ListRoomsInput, listRoomsInput } from './schemas'
import { effectivePositionSql, modelToRoomState, ROOM_COLUMNS, type RoomRow, toRoomState, tsFromMs } from './state'

/** A room as the REST layer lists it: the state plus who owns it. */
export type RoomView = RoomState & { ownerId: string; personal: boolean }

const view = (room: Parameters<typeof modelToRoomState>[0] & { ownerId: string; personal: boolean }): RoomView => ({
  ...modelToRoomState(room),
  ownerId: room.ownerId,
  personal: room.personal,
})

export async function createRoom(actor: Actor, input: CreateRoomInput): Promise<RoomView> {
  requireWrite(actor)
  const { name } = createRoomInput.parse(input)
  const room = await db.room.create({ data: { ownerId: actor.userId, name, videoIds: [] } })
  return view(room)
}

/** NOT_FOUND both for a missing room and one the actor may not see (personal rooms of others). */
export async function getRoom(actor: Actor, id: string): Promise<RoomView> {
  requireRead(actor)
  const room = await db.room.findUnique({ where: { id } })
  if (!room || !canViewRoom(actor, room)) throw new AppError('NOT_FOUND', 'No such room.')
  return view(room)
}

/** The actor's own rooms; admins see everyone's. Personal rooms only when asked for. */
export async function listRooms(actor: Actor, input: ListRoomsInput = {}): Promise<RoomView[]> {
  requireRead(actor)
  const { personal } = listRoomsInput.parse(input)
  const rooms = await db.room.findMany({
    where: { ...(isAdmin(actor) ? {} : { ownerId: actor.userId }), ...(personal ? {} : { personal: false }) },
    orderBy: { updatedAt: 'desc' },
    take: 500,
  })
  return rooms.map(view)
}

export async function deleteRoom(actor: Actor, id: string): Promise<void> {
  requireWrite(actor)
  const room = await db.room.findUnique({ where: { id }, select: { ownerId: true, personal: true } })
  if (!room || !canViewRoom(actor, room)) throw new AppError('NOT_FOUND', 'No such room.')
  if (room.ownerId !== actor.userId && !isAdmin(actor)) throw new AppError('FORBIDDEN', 'Only the owner may delete this room.')
  await db.room.delete({ where: { id } })
}

/** Deterministic, so every reconnect of the same browser session lands in the same room. */
export const personalRoomId = (userId: string, clientId: string) => `p_${userId}_${clientId}`

/**
 * The personal room of one browser session (one open modal player), created on first use. An
 * admin addresses exactly that session by commanding this room. One statement: insert, or return
 * the existing row when it belongs to the same user.
 */
export async function ensurePersonalRoom(actor: Actor, clientId: string): Promise<RoomState> {
  requireRead(actor)
  const cid = clientIdSchema.parse(clientId)
  const id = personalRoomId(actor.userId, cid)
  const name = `${actor.email} · player ${cid.slice(0, 8)}`
  const now = Date.now()
  // On reuse, updatedAt moves to now (so pruning sees the session alive) and positionMs is rebased
  // to the effective position, which leaves the playback state unchanged.
  const rows = await db.$queryRaw<RoomRow[]>`
    INSERT INTO "Room" ("id", "ownerId", "name", "personal", "videoIds", "updatedAt")
    VALUES (${id}, ${actor.userId}, ${name}, true, '{}', ${tsFromMs(now)})
    ON CONFLICT ("id") DO UPDATE SET "positionMs" = ${effectivePositionSql(now)}, "updatedAt" = ${tsFromMs(now)}
      WHERE "Room"."ownerId" = EXCLUDED."ownerId"
    RETURNING ${ROOM_COLUMNS}`
  if (rows.length === 0) throw new AppError('FORBIDDEN', 'This client id belongs to another user.')
  return toRoomState(rows[0])
}

/**
 * Removes personal rooms untouched since `before` (closed browser sessions). Meant for a periodic
 * job; a session that comes back simply gets a fresh room.
 */
export async function prunePersonalRooms(before: Date): Promise<number> {
  const { count } = await db.room.deleteMany({ where: { personal: true, updatedAt: { lt: before } } })
  return count
}
