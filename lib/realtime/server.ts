import { createAdapter } from '@socket.io/postgres-adapter'
import type { Pool } from 'pg'
import type { Server, ServerOptions } from 'socket.io'
import { type RateLimitConfig, RateLimiter } from '@/lib/api/rate-limit'
import { isMediaHostRequest } from '@/lib/config/media-origin'
import { log as rootLog } from '@/lib/log'
import type { Actor } from '@/lib/auth/actor'
import type { CommandResult } from '@/lib/rooms'
import { serveAdmins } from './admin-namespace'
import { type AdminNamespace, type Authenticate, authMiddleware, commonHandlers, type PlayerNamespace } from './namespaces'
import { roomKey, servePlayers, userKey } from './player-namespace'
import { PresenceBatch, playerInfo } from './presence'
import { type Command, type CommandEvent, EVENTS, NAMESPACES, type PipelineEventPayload, type PlayerInfo, type RoomMember, type RoomState } from './protocol'
import { getRealtime, registerRealtime } from './registry'
import { type ClusterChannel, type OwnerAnswer, RoomOwner } from './room-owner'
import { membersOf, TogetherRooms } from './together'

const log = rootLog.child({ c: 'realtime' })

export type { Authenticate, Handshake } from './namespaces'

export interface RealtimeOptions {
  authenticate: Authenticate
  /** With several web nodes: a pg pool for @socket.io/postgres-adapter, so broadcasts reach every node. */
  adapterPool?: Pool
  /** How often admins get batched presence changes (ms). */
  presenceFlushMs?: number
  /** Events one socket may send: sustained per minute, and at once (defaults: EVENT_RATE). */
  eventRate?: RateLimitConfig
  /**
   * False: this node never owns rooms and forwards every command to the node that does (a web
   * process whose realtime process owns them). Default true.
   */
  ownsRooms?: boolean
}

/**
 * Per socket: 50 events a second sustained (a remote control scrubbing sends ~20), 100 at once
 * (connect: personal room, join, clock probes). Past it, events are dropped with a RATE_LIMITED ack.
 */
export const EVENT_RATE: RateLimitConfig = { perMinute: 3000, burst: 100 }

/** The events other processes forward to sockets (the worker's pipeline events, via LISTEN). */
export type ForwardedEvent = typeof EVENTS.pipelineEvent

export interface EmitOptions {
  local?: boolean
}

export interface Realtime {
  readonly io: Server
  /**
   * Applies a command as the room's owner node (or through the node that owns the room): the seq
   * is assigned and the event broadcast from the state the owner holds; the row is written after.
   */
  applyCommand(actor: Actor, roomId: string, command: Command): Promise<CommandResult>
  /** The room's state as its owner node holds it; null when no node holds the room (the row is current then). */
  roomState(roomId: string): Promise<RoomState | null>
  /** Broadcasts a command applied on the database path (to every node); one applyCommand applied went out already and is returned as is. */
  publishCommand(result: CommandResult): CommandEvent
  /** Pushes a room's whole state (e.g. after a REST rename) to the room's players. */
  broadcastRoomState(roomId: string, state: RoomState): void
  /**
   * Forwards an event (pipeline `session.progress`, ...) to every /player socket of one user.
   * `local`: only this node's sockets - for events every web node receives anyway (each node
   * LISTENs to the pipeline's NOTIFY), which the adapter would otherwise deliver once per node.
   */
  emitToUser(userId: string, event: ForwardedEvent, data: PipelineEventPayload, opts?: EmitOptions): void
  /** Forwards an event to every /admin socket (`local`: this node's only, as above). */
  emitToAdmins(event: ForwardedEvent, data: PipelineEventPayload, opts?: EmitOptions): void
  /** Every connected player, across nodes. */
  listPlayers(): Promise<PlayerInfo[]>
  /** Stops the presence timer, writes back and releases the rooms this node owns; the caller closes io. */
  close(): Promise<void>
}

/** Options for `new Server(httpServer, realtimeServerOptions)`: small frames, no compression on the latency path. */
export const realtimeServerOptions: Partial<ServerOptions> = {
  // Compression costs CPU per frame and per socket; command frames are a few hundred bytes.
  perMessageDeflate: false,
  // A playlist.load with 500 ids is ~15 KB; anything much larger is not ours.
  maxHttpBufferSize: 100_000,
  transports: ['websocket', 'polling'],
  // The media origin serves media files only (see lib/web/media-host.ts): no socket.io there either.
  allowRequest: (req, done) => done(null, !isMediaHostRequest(req)),
}

export { roomKey, userKey }

/** The adapter keeps payloads over 8000 bytes (presence lists, long playlists) in this table. */
const ADAPTER_TABLE = 'socket_io_attachments'

async function ensureAdapterTable(pool: Pool): Promise<void> {
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${ADAPTER_TABLE} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`)
  } catch (err) {
    // Two nodes starting together may race on the catalog; the table exists either way.
    log.warn({ err }, 'adapter table check failed')
  }
}

/** socket.io types every namespace of a server alike; ours each have their own event maps (protocol.ts). */
const namespace = <N>(io: Server, name: string): N => io.of(name) as unknown as N

/**
 * Attaches the command layer to a socket.io server: namespaces `/player` (signed-in users) and
 * `/admin` (admins only). Returns the handle the REST routes and the pipeline use to reach
 * sockets; the same functions are exported at module level for code that cannot get the handle.
 * Handlers stay minimal: a command is one validation, a step of the room's state in memory and
 * one room broadcast; the database write follows (lib/realtime/room-owner.ts).
 */
export async function attachRealtime(io: Server, opts: RealtimeOptions): Promise<Realtime> {
  let closed = false
  if (opts.adapterPool) {
    await ensureAdapterTable(opts.adapterPool)
    // Once closed, the sockets' disconnects still publish to a pool being shut down: expected, not logged.
    const errorHandler = (err: Error) => closed || log.warn({ err }, 'postgres adapter')
    io.adapter(createAdapter(opts.adapterPool, { tableName: ADAPTER_TABLE, errorHandler }))
  }
  const players = namespace<PlayerNamespace>(io, NAMESPACES.player)
  const admins = namespace<AdminNamespace>(io, NAMESPACES.admin)
  players.use(authMiddleware(opts.authenticate, false))
  admins.use(authMiddleware(opts.authenticate, true))
  // Nothing is served on the main namespace; anonymous clients must not park connections there.
  io.of('/').use(authMiddleware(opts.authenticate, false))

  // One bucket per socket: a Map lookup per event, nothing on the command path waits.
  const limiter = new RateLimiter(opts.eventRate ?? EVENT_RATE)
  const batch = new PresenceBatch()

  const publishCommand = (result: CommandResult): CommandEvent => {
    if (result.event) return result.event // the owner node broadcast it when it applied it
    const event: CommandEvent = { ...result.command, seq: result.seq, serverTime: Date.now(), state: result.state }
    players.to(roomKey(result.roomId)).emit(EVENTS.commandEvent, event)
    return event
  }
  const broadcastRoomState = (roomId: string, state: RoomState) => {
    players.to(roomKey(roomId)).emit(EVENTS.roomState, { roomId, state })
  }
  const owner = new RoomOwner({
    broadcast: (roomId, event) => players.to(roomKey(roomId)).emit(EVENTS.commandEvent, event),
    pushState: broadcastRoomState,
    cluster: opts.adapterPool ? clusterChannel(players) : undefined,
    ownsRooms: opts.ownsRooms,
  })
  const rooms = { applyCommand: owner.apply.bind(owner), roomState: owner.read.bind(owner) }

  const listPlayers = async (): Promise<PlayerInfo[]> => {
    const sockets = await players.fetchSockets()
    return sockets.map((s) => playerInfo(s.id, s.data))
  }

  const common = commonHandlers(rooms)
  const together = new TogetherRooms(players, rooms)
  servePlayers(players, { common, limiter, batch, together })
  serveAdmins(admins, { common, limiter, listPlayers })

  const flush = () => {
    const { players: changed, socketIds } = batch.take()
    if (changed.length > 0) admins.emit(EVENTS.playersUpdate, { players: changed })
    if (socketIds.length > 0) admins.emit(EVENTS.playersRemove, { socketIds })
  }
  const timer = setInterval(flush, opts.presenceFlushMs ?? 1000)
  timer.unref()

  const realtime: Realtime = {
    io,
    ...rooms,
    publishCommand,
    broadcastRoomState,
    emitToUser: (userId, event, data, o) => {
      ;(o?.local ? players.local : players).to(userKey(userId)).emit(event, data)
    },
    emitToAdmins: (event, data, o) => {
      ;(o?.local ? admins.local : admins).emit(event, data)
    },
    listPlayers,
    close: async () => {
      closed = true
      clearInterval(timer)
      together.close()
      if (getRealtime() === realtime) registerRealtime(undefined)
      await owner.close()
    },
  }
  registerRealtime(realtime)
  return realtime
}

/** Nodes ask each other through the adapter's server-side events; only the room's owner answers non-null. */
function clusterChannel(players: PlayerNamespace): ClusterChannel {
  type Emitter = {
    serverSideEmit(event: string, payload: unknown, ack: (err: Error | null, answers: unknown[]) => void): void
    on(event: string, listener: (payload: unknown, ack: (answer: unknown) => void) => void): void
  }
  const nsp = players as unknown as Emitter
  return {
    ask: <T>(event: string, payload: unknown) =>
      new Promise<OwnerAnswer<T>[]>((resolve) => nsp.serverSideEmit(event, payload, (_err, answers) => resolve((answers ?? []) as OwnerAnswer<T>[]))),
    serve: (event, handler) =>
      nsp.on(event, (payload, ack) => {
        if (typeof ack !== 'function') return
        handler(payload as never).then(ack, (err) => {
          log.warn({ err, event }, 'cluster request failed')
          ack(null)
        })
      }),
  }
}

export { getRealtime, registerRealtime }

/** Broadcasts an applied command (REST `POST /api/v1/rooms/{id}/commands`); null when no realtime server runs here. */
export const publishCommand = (result: CommandResult): CommandEvent | null => getRealtime()?.publishCommand(result) ?? null
/** The connected members of a together room (across nodes); none where no realtime server runs or it does not answer. */
export async function listRoomMembers(roomId: string): Promise<RoomMember[]> {
  const players = await (getRealtime()?.listPlayers() ?? Promise.resolve([])).catch((err) => {
    log.warn({ err }, 'members list failed')
    return []
  })
  return membersOf(roomId, players)
}
export const broadcastRoomState = (roomId: string, state: RoomState): void => getRealtime()?.broadcastRoomState(roomId, state)
export const emitToUser = (userId: string, event: ForwardedEvent, data: PipelineEventPayload, opts?: EmitOptions): void =>
  getRealtime()?.emitToUser(userId, event, data, opts)
export const emitToAdmins = (event: ForwardedEvent, data: PipelineEventPayload, opts?: EmitOptions): void => getRealtime()?.emitToAdmins(event, data, opts)
