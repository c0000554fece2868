import type { Actor } from '@/lib/auth/actor'
import { db, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { type Command, type CommandEvent, commandSchema, type RoomState } from '@/lib/realtime/protocol'
import { getRealtime } from '@/lib/realtime/registry'
import { canCommandRoom, canViewRoom, commandAllowedSql, type RoomAccessFacts, requireWrite, roomAccessSelect } from './access'
import { assertVisibleVideos, playlistVideoIds } from './playlists'
import { effectivePositionSql, ROOM_COLUMNS, ROOM_LOCK_CLASS, type RoomRow, toRoomState, tsFromMs } from './state'

/** What applyCommand hands back: the command as applied, its seq and the room state after it. */
export interface CommandResult {
  roomId: string
  seq: number
  command: Command
  state: RoomState
  /** The event as broadcast to the room's players; absent when no realtime node applied it (database path). */
  event?: CommandEvent
}

/** A command checked and ready to apply: parsed, addressed to `roomId`, a playlist.load's ids resolved. */
export interface PreparedCommand {
  cmd: Command
  videoIds: string[] | null
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

/** NOT_FOUND for a room the actor may not see, FORBIDDEN for one it may see but not command. */
export function authorizeCommand(actor: Actor, room: RoomAccessFacts): void {
  if (!canViewRoom(actor, room)) throw new AppError('NOT_FOUND', 'No such room.')
  if (!canCommandRoom(actor, room))
    throw new AppError('FORBIDDEN', 'Only the room owner, an admin or (when the room allows it) a member may command this room.')
}

/** Checks what can be checked without the room: scope, shape, address; resolves a playlist.load (a read). */
export async function prepareCommand(actor: Actor, roomId: string, command: Command): Promise<PreparedCommand> {
  requireWrite(actor)
  const cmd = commandSchema.parse(command)
  if (cmd.roomId !== roomId) throw new AppError('INVALID_INPUT', 'The command names another room.')
  const videoIds = cmd.type === 'playlist.load' ? await resolveLoad(actor, cmd) : null
  return { cmd, videoIds }
}

/** True while some node holds the room's advisory lock (two-key locks show as objsubid 2). */
const ownedByANode = (roomId: string) => Prisma.sql`EXISTS (SELECT 1 FROM pg_locks WHERE "locktype" = 'advisory' AND "granted"
  AND "classid" = ${ROOM_LOCK_CLASS}::int::oid AND "objid" = hashtext(${roomId})::oid AND "objsubid" = 2)`

/** Why the UPDATE matched no row, found with one more read (the failure path only). */
async function explainMiss(actor: Actor, roomId: string, cmd: Command): Promise<never> {
  const room = await db.room.findUnique({ where: { id: roomId }, select: { ...roomAccessSelect(actor), videoIds: true } })
  if (!room) throw new AppError('NOT_FOUND', 'No such room.')
  authorizeCommand(actor, room)
  const len = room.videoIds?.length ?? 0
  if (cmd.type === 'select' && cmd.index >= len) throw new AppError('CONFLICT', `No video at index ${cmd.index} (the room has ${len}).`)
  if ((cmd.type === 'next' || cmd.type === 'prev') && len === 0) throw new AppError('CONFLICT', 'The room has no playlist loaded.')
  throw new AppError('UNAVAILABLE', 'A realtime node drives this room; send the command through the API or a socket.')
}

/**
 * Applies one command to a room: authorises (owner, admin, or a member of a together room whose
 * control is "everyone"; others FORBIDDEN, unknown rooms and rooms the actor may not see
 * NOT_FOUND), assigns the next seq and broadcasts it to the room's players. Where a realtime node
 * runs in this process, the room's owner node does it from the state it holds and writes the row
 * right after (lib/realtime/room-owner.ts); elsewhere (CLIs, a process without sockets) the
 * database does it in one statement and nothing is broadcast.
 */
export async function applyCommand(actor: Actor, roomId: string, command: Command): Promise<CommandResult> {
  const realtime = getRealtime()
  if (realtime) return realtime.applyCommand(actor, roomId, command)
  return applyCommandInDatabase(actor, roomId, command)
}

/**
 * The database path: the seq and the new state in a single `UPDATE … RETURNING` (one round trip;
 * playlist.load reads the videos first). It never writes a room whose advisory lock an owner node
 * holds (refused with UNAVAILABLE): that node's memory is the state then. Should a node take the
 * room meanwhile, its takeover UPDATE waits for this one's row lock and reads what it wrote.
 */
export async function applyCommandInDatabase(actor: Actor, roomId: string, command: Command): Promise<CommandResult> {
  const { cmd, videoIds } = await prepareCommand(actor, roomId, command)
  const now = Date.now()
  // Past a lease an owner node left behind: it may have broadcast seqs up to it before it stopped.
  const nextSeq = Prisma.sql`GREATEST("Room"."seq", "Room"."leaseSeq") + 1`
  const rows = await db.$queryRaw<RoomRow[]>`
    UPDATE "Room" SET ${transition(cmd, now, videoIds)}, "seq" = ${nextSeq}, "leaseSeq" = ${nextSeq}, "updatedAt" = ${tsFromMs(now)}
    WHERE "id" = ${roomId} AND ${commandAllowedSql(actor)} ${precondition(cmd)}
      AND NOT ${ownedByANode(roomId)}
    RETURNING ${ROOM_COLUMNS}`
  if (rows.length === 0) return explainMiss(actor, roomId, cmd)
  const state = toRoomState(rows[0])
  // The command goes out as sent (a playlistId stays a playlistId); the loaded ids are in state.videoIds.
  return { roomId, seq: state.seq, command: cmd, state }
}
