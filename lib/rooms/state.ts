import { Prisma } from '@/lib/db'
import type { RoomState } from '@/lib/realtime/protocol'

/** The columns every room query returns, with updatedAt as epoch ms so no Date/zone conversion happens. */
export const ROOM_COLUMNS = Prisma.sql`"id", "ownerId", "personal", "name", COALESCE("videoIds", '{}') AS "videoIds",
  "currentIndex", "positionMs", "playing", "rate", "seq",
  (EXTRACT(EPOCH FROM "updatedAt") * 1000)::float8 AS "updatedAtMs"`

export interface RoomRow {
  id: string
  ownerId: string
  personal: boolean
  name: string
  videoIds: string[]
  currentIndex: number
  positionMs: number
  playing: boolean
  rate: number
  seq: number
  updatedAtMs: number
}

export function toRoomState(row: RoomRow): RoomState {
  return {
    id: row.id,
    name: row.name,
    videoIds: row.videoIds,
    currentIndex: row.currentIndex,
    positionMs: row.positionMs,
    playing: row.playing,
    rate: row.rate,
    seq: row.seq,
    updatedAt: Math.round(row.updatedAtMs),
  }
}

/** A Prisma Room model row as protocol state (for rows read through the query API). */
export function modelToRoomState(room: {
  id: string
  name: string
  videoIds: string[] | null
  currentIndex: number
  positionMs: number
  playing: boolean
  rate: number
  seq: number
  updatedAt: Date
}): RoomState {
  return {
    id: room.id,
    name: room.name,
    videoIds: room.videoIds ?? [],
    currentIndex: room.currentIndex,
    positionMs: room.positionMs,
    playing: room.playing,
    rate: room.rate,
    seq: room.seq,
    updatedAt: room.updatedAt.getTime(),
  }
}

/** `timestamp(3) without time zone` holding UTC, from epoch ms. */
export const tsFromMs = (ms: number) => Prisma.sql`(to_timestamp(${ms}::float8 / 1000) AT TIME ZONE 'UTC')`

/**
 * The room's effective position at `nowMs` as SQL, for statements that rebase `positionMs` to a
 * new `updatedAt` (clamped to the column's range; a clock step backwards counts as no time).
 */
export const effectivePositionSql = (nowMs: number) => Prisma.sql`(CASE WHEN "Room"."playing" THEN LEAST(2000000000,
  "Room"."positionMs" + GREATEST(0, FLOOR((${nowMs}::float8 - EXTRACT(EPOCH FROM "Room"."updatedAt")::float8 * 1000) * "Room"."rate")))::int
  ELSE "Room"."positionMs" END)`

/**
 * The first key of a room's advisory lock (`pg_advisory_lock(ROOM_LOCK_CLASS, hashtext(id))`):
 * held by the node that owns the room, taken for one statement by the database path.
 */
export const ROOM_LOCK_CLASS = 0x524f4f4d
