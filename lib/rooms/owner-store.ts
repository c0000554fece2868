import { db } from '@/lib/db'
import type { RoomState } from '@/lib/realtime/protocol'
import { ROOM_COLUMNS, type RoomRow, toRoomState, tsFromMs } from './state'

// The Room row as the room's owner node reads and writes it. The owner holds the state in
// memory and writes it back after each broadcast; `leaseSeq` bounds what it may broadcast before
// a write and fences the writes of an owner that lost its place.

/** A room as its new owner takes it: the state, who may command it, and the lease it now holds. */
export interface TakenRoom {
  state: RoomState
  /** The access facts that never change for a room (members are looked up as they command). */
  ownerId: string
  personal: boolean
  mode: 'remote' | 'together'
  control: 'host' | 'everyone'
  guests: boolean
  leaseSeq: number
  /** The previous owner left without writing its last seqs back: they are lost, the state jumps past them. */
  unclean: boolean
}

/**
 * Reserves the next `block` seqs for the caller (which holds the room's advisory lock). A lease
 * above the persisted seq means the previous owner stopped without a clean release: it may have
 * broadcast any seq up to that lease, so the new owner continues after it. Null: no such room.
 */
export async function takeOverRoom(id: string, block: number): Promise<TakenRoom | null> {
  const rows = await db.$queryRaw<(RoomRow & Pick<TakenRoom, 'leaseSeq' | 'mode' | 'control' | 'guests'>)[]>`
    UPDATE "Room" SET "leaseSeq" = GREATEST("seq", "leaseSeq") + ${block}::int WHERE "id" = ${id}
    RETURNING ${ROOM_COLUMNS}, "leaseSeq", "mode"::text AS "mode", "control"::text AS "control", "guests"`
  if (rows.length === 0) return null
  const row = rows[0]
  const state = toRoomState(row)
  const start = row.leaseSeq - block
  return {
    state: { ...state, seq: Math.max(state.seq, start) },
    ownerId: row.ownerId,
    personal: row.personal,
    mode: row.mode,
    control: row.control,
    guests: row.guests,
    leaseSeq: row.leaseSeq,
    unclean: start > state.seq,
  }
}

/**
 * Writes the owner's state and its new lease, if the row still carries the lease `fence` this
 * owner was given (a takeover always raises it). False: the room is gone or another node owns it now.
 */
export async function persistRoom(state: RoomState, fence: number, leaseSeq: number): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "Room" SET "videoIds" = ${state.videoIds}::text[], "currentIndex" = ${state.currentIndex}::int,
      "positionMs" = ${state.positionMs}::int, "playing" = ${state.playing}, "rate" = ${state.rate}::float8,
      "seq" = ${state.seq}::int, "leaseSeq" = ${leaseSeq}::int, "updatedAt" = ${tsFromMs(state.updatedAt)}
    WHERE "id" = ${state.id} AND "leaseSeq" = ${fence}::int`
  return n === 1
}

/** Whether the user joined the room (memberships are only ever added, so a yes can be kept). */
export async function isRoomMember(roomId: string, userId: string): Promise<boolean> {
  return (await db.roomMember.count({ where: { roomId, userId } })) > 0
}
