import type { Actor } from '@/lib/auth/actor'
import { db, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { type Command, commandSchema, type RoomState } from '@/lib/realtime/protocol'
import { canCommandRoom, canViewRoom, commandAllowedSql, requireWrite, roomAccessSelect } from './access'
import { assertVisibleVideos, playlistVideoIds } from './playlists'
import { effectivePositionSql, ROOM_COLUMNS, type RoomRow, toRoomState, tsFromMs } from './state'

/** What applyCommand hands back: the command as applied, its seq and the room state after it. */
export interface CommandResult {
  roomId: string
  seq: number
  command: Command
  state: RoomState
}

/**
 * The SET list of one command. Every transition is computed from the row as it is when the
 * UPDATE takes the row lock, so concurrent commands serialise without lost updates.
 */
function transition(cmd: Command, now: number, videoIds: string[] | null): Prisma.Sql {
  const position = effectivePositionSql(now)
  const len = Prisma.sql`COALESCE(cardinality("Room"."videoIds"), 0)`
  switch (cmd.type) {
    case 'play':
      return Prisma.sql`"positionMs" = ${position}, "playing" = true`
    case 'pause':
      return Prisma.sql`"positionMs" = ${position}, "playing" = false`
    case 'seek':
      return Prisma.sql`"positionMs" = ${cmd.positionMs}::int`
    // At the last item `next` keeps playing it where it is; `prev` at the first restarts it.
    case 'next':
      return Prisma.sql`"currentIndex" = CASE WHEN "Room"."currentIndex" + 1 < ${len} THEN "Room"."currentIndex" + 1 ELSE "Room"."currentIndex" END,
        "positionMs" = CASE WHEN "Room"."currentIndex" + 1 < ${len} THEN 0 ELSE ${position} END`
    case 'prev':
      return Prisma.sql`"currentIndex" = GREATEST("Room"."currentIndex" - 1, 0), "positionMs" = 0`
    case 'select':
      return Prisma.sql`"currentIndex" = ${cmd.index}::int, "positionMs" = 0`
    // Rebased at the old rate, so the position does not jump.
    case 'rate':
      return Prisma.sql`"positionMs" = ${position}, "rate" = ${cmd.rate}::float8`
    case 'playlist.load': {
      const ids = videoIds ?? []
      const start = Math.min(cmd.startIndex ?? 0, ids.length - 1)
      return Prisma.sql`"videoIds" = ${ids}::text[], "currentIndex" = ${start}::int, "positionMs" = 0`
    }
  }
}

/** Extra WHERE conditions: commands that need a video at the target index fail instead of pointing nowhere. */
function precondition(cmd: Command): Prisma.Sql {
  const len = Prisma.sql`COALESCE(cardinality("Room"."videoIds"), 0)`
  switch (cmd.type) {
    case 'select':
      return Prisma.sql`AND ${cmd.index}::int < ${len}`
    case 'next':
    case 'prev':
      return Prisma.sql`AND ${len} > 0`
    default:
      return Prisma.empty
  }
}

/** The video ids a playlist.load puts in the room, checked against what the actor may see. */
async function resolveLoad(actor: Actor, cmd: Extract<Command, { type: 'playlist.load' }>): Promise<string[]> {
  if (cmd.videoIds) {
    await assertVisibleVideos(actor, cmd.videoIds)
    return cmd.videoIds
  }
  const ids = await playlistVideoIds(actor, cmd.playlistId!)
  if (ids.length === 0) throw new AppError('CONFLICT', 'The playlist has no videos you may play.')
  return ids
}

/** Why the UPDATE matched no row, found with one more read (the failure path only). */
async function explainMiss(actor: Actor, roomId: string, cmd: Command): Promise<never> {
  const room = await db.room.findUnique({ where: { id: roomId }, select: { ...roomAccessSelect(actor), videoIds: true } })
  if (!room || !canViewRoom(actor, room)) throw new AppError('NOT_FOUND', 'No such room.')
  if (!canCommandRoom(actor, room))
    throw new AppError('FORBIDDEN', 'Only the room owner, an admin or (when the room allows it) a member may command this room.')
  const len = room.videoIds?.length ?? 0
  if (cmd.type === 'select') throw new AppError('CONFLICT', `No video at index ${cmd.index} (the room has ${len}).`)
  throw new AppError('CONFLICT', 'The room has no playlist loaded.')
}

/**
 * Applies one command to a room: authorises (owner, admin, or a member of a together room whose
 * control is "everyone"; others FORBIDDEN, unknown rooms and rooms the actor may not see NOT_FOUND), assigns the next seq and moves the state in a single
 * `UPDATE … RETURNING` (one round trip; playlist.load reads the videos first). The caller
 * broadcasts the result (publishCommand in lib/realtime/server).
 */
export async function applyCommand(actor: Actor, roomId: string, command: Command): Promise<CommandResult> {
  requireWrite(actor)
  const cmd = commandSchema.parse(command)
  if (cmd.roomId !== roomId) throw new AppError('INVALID_INPUT', 'The command names another room.')
  const videoIds = cmd.type === 'playlist.load' ? await resolveLoad(actor, cmd) : null
  const now = Date.now()
  const rows = await db.$queryRaw<RoomRow[]>`
    UPDATE "Room" SET ${transition(cmd, now, videoIds)}, "seq" = "Room"."seq" + 1, "updatedAt" = ${tsFromMs(now)}
    WHERE "id" = ${roomId} AND ${commandAllowedSql(actor)} ${precondition(cmd)}
    RETURNING ${ROOM_COLUMNS}`
  if (rows.length === 0) return explainMiss(actor, roomId, cmd)
  const state = toRoomState(rows[0])
  // The command goes out as sent (a playlistId stays a playlistId); the loaded ids are in state.videoIds.
  return { roomId, seq: state.seq, command: cmd, state }
}
