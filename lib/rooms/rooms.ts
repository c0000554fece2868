import type { Actor } from '@/lib/auth/actor'
import { isAdmin } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { clientIdSchema, type RoomState } from '@/lib/realtime/protocol'
import { getRealtime } from '@/lib/realtime/registry'
import { canViewRoom, requireRead, requireWrite, roomAccessSelect } from './access'
import { createRoomInput, type CreateRoomInput, type ListRoomsInput, listRoomsInput } from './schemas'
import { effectivePositionSql, modelToRoomState, ROOM_COLUMNS, type RoomRow, toRoomState, tsFromMs } from './state'
import { joinUrlFor, newInviteToken } from './together'

/** A room as the REST layer lists it: the state, who owns it and how it is shared. */
export type RoomView = RoomState & {
  ownerId: string
  personal: boolean
  mode: 'remote' | 'together'
  control: 'host' | 'everyone'
  guests: boolean
  waitMs: number
  joinUrl: string | null
}

type RoomModel = Parameters<typeof modelToRoomState>[0] & {
  ownerId: string
  personal: boolean
  mode: 'remote' | 'together'
  control: 'host' | 'everyone'
  guests: boolean
  waitMs: number
  inviteToken: string | null
}

/** The invite link is the owner's to hand out (and admins'), not every member's. */
const view = (room: RoomModel, actor: Actor): RoomView => ({
  ...modelToRoomState(room),
  ownerId: room.ownerId,
  personal: room.personal,
  mode: room.mode,
  control: room.control,
  guests: room.guests,
  waitMs: room.waitMs,
  joinUrl: room.mode === 'together' && room.inviteToken && (room.ownerId === actor.userId || isAdmin(actor)) ? joinUrlFor(room.id, room.inviteToken) : null,
})

export async function createRoom(actor: Actor, input: CreateRoomInput): Promise<RoomView> {
  requireWrite(actor)
  const { name, mode, control, guests, waitMs } = createRoomInput.parse(input)
  const together = mode === 'together' ? { control, guests, waitMs, inviteToken: newInviteToken() } : {}
  const room = await db.room.create({ data: { ownerId: actor.userId, name, videoIds: [], mode, ...together } })
  return view(room, actor)
}

/** NOT_FOUND both for a missing room and one the actor may not see (others' personal rooms, together rooms one is not a member of). */
export async function getRoom(actor: Actor, id: string): Promise<RoomView> {
  requireRead(actor)
  const room = await db.room.findUnique({ where: { id }, include: { members: roomAccessSelect(actor).members } })
  if (!room || !canViewRoom(actor, room)) throw new AppError('NOT_FOUND', 'No such room.')
  return view(room, actor)
}

/** getRoom with the playback state the room's owner node holds, where one does (the row follows it by a write). */
export async function getLiveRoom(actor: Actor, id: string): Promise<RoomView> {
  const view = await getRoom(actor, id)
  const live = await getRealtime()
    ?.roomState(id)
    .catch(() => null)
  return live ? { ...view, ...live } : view
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
  return rooms.map((r) => view(r, actor))
}

export async function deleteRoom(actor: Actor, id: string): Promise<void> {
  requireWrite(actor)
  const room = await db.room.findUnique({ where: { id }, select: roomAccessSelect(actor) })
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
