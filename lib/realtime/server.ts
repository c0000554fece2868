import { createAdapter } from '@socket.io/postgres-adapter'
import type { Pool } from 'pg'
import type { Namespace, Server, ServerOptions, Socket } from 'socket.io'
import { type RateLimitConfig, RateLimiter } from '@/lib/api/rate-limit'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { isMediaHostRequest } from '@/lib/config/media-origin'
import { AppError } from '@/lib/errors'
import { log as rootLog } from '@/lib/log'
import { applyCommand, type CommandResult, ensurePersonalRoom, getRoom, personalRoomId } from '@/lib/rooms'
import { ackOf, errorAck } from './acks'
import { type PlayerSocketData, PresenceBatch, playerInfo } from './presence'
import {
  type ClockPong,
  type CommandAck,
  type CommandEvent,
  clockPingSchema,
  type ErrorAck,
  commandSchema,
  EVENTS,
  invalidInput,
  NAMESPACES,
  type OkAck,
  type PlayerInfo,
  type PlayersAck,
  personalRoomRequestSchema,
  presenceSchema,
  type RoomAck,
  type RoomState,
  roomRefSchema,
} from './protocol'

const log = rootLog.child({ c: 'realtime' })

export type Handshake = Socket['handshake']
/** Maps a socket.io handshake (session cookie, or `auth: { token }` API key) to an actor; null refuses the connection. */
export type Authenticate = (handshake: Handshake) => Promise<Actor | null>

export interface RealtimeOptions {
  authenticate: Authenticate
  /** With several web nodes: a pg pool for @socket.io/postgres-adapter, so broadcasts reach every node. */
  adapterPool?: Pool
  /** How often admins get batched presence changes (ms). */
  presenceFlushMs?: number
  /** Events one socket may send: sustained per minute, and at once (defaults: EVENT_RATE). */
  eventRate?: RateLimitConfig
}

/**
 * Per socket: 50 events a second sustained (a remote control scrubbing sends ~20), 100 at once
 * (connect: personal room, join, clock probes). Past it, events are dropped with a RATE_LIMITED ack.
 */
export const EVENT_RATE: RateLimitConfig = { perMinute: 3000, burst: 100 }

export interface EmitOptions {
  local?: boolean
}

export interface Realtime {
  readonly io: Server
  /** Broadcasts an applied command to the room's players (on every node) and returns the event sent. */
  publishCommand(result: CommandResult): CommandEvent
  /** Pushes a room's whole state (e.g. after a REST rename) to the room's players. */
  broadcastRoomState(roomId: string, state: RoomState): void
  /**
   * Forwards an event (pipeline `session.progress`, ...) to every /player socket of one user.
   * `local`: only this node's sockets - for events every web node receives anyway (each node
   * LISTENs to the pipeline's NOTIFY), which the adapter would otherwise deliver once per node.
   */
  emitToUser(userId: string, event: string, data: unknown, opts?: EmitOptions): void
  /** Forwards an event to every /admin socket (`local`: this node's only, as above). */
  emitToAdmins(event: string, data: unknown, opts?: EmitOptions): void
  /** Every connected player, across nodes. */
  listPlayers(): Promise<PlayerInfo[]>
  /** Stops the presence timer; the caller closes io. */
  close(): void
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

export const roomKey = (roomId: string) => `room:${roomId}`
export const userKey = (userId: string) => `user:${userId}`

/** The adapter keeps payloads over 8000 bytes (presence lists, long playlists) in this table. */
const ADAPTER_TABLE = 'socket_io_attachments'

async function ensureAdapterTable(pool: Pool): Promise<void> {
  try {
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${ADAPTER_TABLE} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`,
    )
  } catch (err) {
    // Two nodes starting together may race on the catalog; the table exists either way.
    log.warn({ err }, 'adapter table check failed')
  }
}

function refuse(code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UNAVAILABLE', message: string): Error {
  const err = new Error(code) as Error & { data?: unknown }
  err.data = { code, message }
  return err
}

function authMiddleware(authenticate: Authenticate, adminOnly: boolean) {
  return async (socket: Socket, next: (err?: Error) => void) => {
    let actor: Actor | null
    try {
      actor = await authenticate(socket.handshake)
    } catch (err) {
      // A refusal (e.g. a cookie handshake from another site) is the client's answer, not an outage.
      if (err instanceof AppError && err.code === 'FORBIDDEN') return next(refuse('FORBIDDEN', err.message))
      log.warn({ err }, 'handshake authentication failed')
      return next(refuse('UNAVAILABLE', 'Authentication is unavailable.'))
    }
    if (!actor) return next(refuse('UNAUTHENTICATED', 'Sign in or send an API key.'))
    if (adminOnly && !isAdmin(actor)) return next(refuse('FORBIDDEN', 'Admins only.'))
    socket.data.actor = actor
    next()
  }
}

/**
 * Attaches the command layer to a socket.io server: namespaces `/player` (signed-in users) and
 * `/admin` (admins only). Returns the handle the REST routes and the pipeline use to reach
 * sockets; the same functions are exported at module level for code that cannot get the handle.
 * Handlers stay minimal: a command is one validation, one UPDATE and one room broadcast.
 */
export async function attachRealtime(io: Server, opts: RealtimeOptions): Promise<Realtime> {
  let closed = false
  if (opts.adapterPool) {
    await ensureAdapterTable(opts.adapterPool)
    // Once closed, the sockets' disconnects still publish to a pool being shut down: expected, not logged.
    const errorHandler = (err: Error) => closed || log.warn({ err }, 'postgres adapter')
    io.adapter(createAdapter(opts.adapterPool, { tableName: ADAPTER_TABLE, errorHandler }))
  }
  const players: Namespace = io.of(NAMESPACES.player)
  const admins: Namespace = io.of(NAMESPACES.admin)
  players.use(authMiddleware(opts.authenticate, false))
  admins.use(authMiddleware(opts.authenticate, true))
  // Nothing is served on the main namespace; anonymous clients must not park connections there.
  io.of('/').use(authMiddleware(opts.authenticate, false))

  // One bucket per socket: a Map lookup per event, nothing on the command path waits.
  const limiter = new RateLimiter(opts.eventRate ?? EVENT_RATE)
  const limitEvents = (socket: Socket) => {
    socket.use((packet, next) => {
      if (limiter.take(socket.id).ok) return next()
      ackOf<ErrorAck>(packet[packet.length - 1])({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many events; slow down.' } })
    })
  }

  const batch = new PresenceBatch()
  const touch = (socket: Socket) => batch.update(playerInfo(socket.id, socket.data as PlayerSocketData))

  const publishCommand = (result: CommandResult): CommandEvent => {
    const event = { ...result.command, seq: result.seq, serverTime: Date.now(), state: result.state } as CommandEvent
    players.to(roomKey(result.roomId)).emit(EVENTS.commandEvent, event)
    return event
  }

  /** Shared by both namespaces: validate, apply (one UPDATE), broadcast, then ack with timestamps. */
  const onCommand = async (socket: Socket, raw: unknown, ack: unknown) => {
    const serverReceivedAt = Date.now()
    const reply = ackOf<CommandAck>(ack)
    const parsed = commandSchema.safeParse(raw)
    if (!parsed.success) return reply(invalidInput(parsed.error))
    try {
      const result = await applyCommand(socket.data.actor as Actor, parsed.data.roomId, parsed.data)
      publishCommand(result)
      reply({ ok: true, seq: result.seq, serverReceivedAt, serverSentAt: Date.now() })
    } catch (err) {
      reply(errorAck(err))
    }
  }

  const onClockPing = (raw: unknown, ack: unknown) => {
    const t1 = Date.now()
    const parsed = clockPingSchema.safeParse(raw)
    if (!parsed.success) return
    ackOf<ClockPong>(ack)({ t0: parsed.data.t0, t1, t2: Date.now() })
  }

  const onRoomSync = async (socket: Socket, raw: unknown, ack: unknown) => {
    const reply = ackOf<RoomAck>(ack)
    const parsed = roomRefSchema.safeParse(raw)
    if (!parsed.success) return reply(invalidInput(parsed.error))
    try {
      reply({ ok: true, state: await getRoom(socket.data.actor as Actor, parsed.data.roomId) })
    } catch (err) {
      reply(errorAck(err))
    }
  }

  const listPlayers = async (): Promise<PlayerInfo[]> => {
    const sockets = await players.fetchSockets()
    return sockets.map((s) => playerInfo(s.id, s.data as PlayerSocketData))
  }

  players.on('connection', (socket: Socket) => {
    limitEvents(socket)
    const data = socket.data as PlayerSocketData
    Object.assign(data, { clientId: null, personalRoomId: null, rooms: [], connectedAt: Date.now(), presence: null })
    socket.join(userKey(data.actor.userId))
    touch(socket)

    const joinRoom = (roomId: string) => {
      socket.join(roomKey(roomId))
      if (!data.rooms.includes(roomId)) data.rooms.push(roomId)
      touch(socket)
    }
    const leaveRoom = (roomId: string) => {
      socket.leave(roomKey(roomId))
      data.rooms = data.rooms.filter((r) => r !== roomId)
      touch(socket)
    }

    socket.on(EVENTS.command, (raw: unknown, ack: unknown) => onCommand(socket, raw, ack))
    socket.on(EVENTS.clockPing, onClockPing)
    socket.on(EVENTS.roomSync, (raw: unknown, ack: unknown) => onRoomSync(socket, raw, ack))

    socket.on(EVENTS.roomJoin, async (raw: unknown, ack: unknown) => {
      const reply = ackOf<RoomAck>(ack)
      const parsed = roomRefSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      try {
        // Authorise, join, then read the state again: a command applied between the two reads is
        // either in the state or broadcast to us after the join, never lost in between.
        await getRoom(data.actor, parsed.data.roomId)
        joinRoom(parsed.data.roomId)
        const state = await getRoom(data.actor, parsed.data.roomId).catch((err) => {
          leaveRoom(parsed.data.roomId)
          throw err
        })
        reply({ ok: true, state })
      } catch (err) {
        reply(errorAck(err))
      }
    })

    socket.on(EVENTS.roomLeave, (raw: unknown, ack: unknown) => {
      const reply = ackOf<OkAck>(ack)
      const parsed = roomRefSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      leaveRoom(parsed.data.roomId)
      reply({ ok: true })
    })

    socket.on(EVENTS.roomPersonal, async (raw: unknown, ack: unknown) => {
      const reply = ackOf<RoomAck>(ack)
      const parsed = personalRoomRequestSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      try {
        // The id is derived from this user's id, so joining before the row exists leaks nothing and
        // no command can slip between the read and the join.
        const id = personalRoomId(data.actor.userId, parsed.data.clientId)
        joinRoom(id)
        const state = await ensurePersonalRoom(data.actor, parsed.data.clientId).catch((err) => {
          leaveRoom(id)
          throw err
        })
        data.clientId = parsed.data.clientId
        data.personalRoomId = state.id
        touch(socket)
        reply({ ok: true, state })
      } catch (err) {
        reply(errorAck(err))
      }
    })

    socket.on(EVENTS.presence, (raw: unknown, ack: unknown) => {
      const parsed = presenceSchema.safeParse(raw)
      if (!parsed.success) return ackOf<OkAck>(ack)(invalidInput(parsed.error))
      // Reports only count for rooms this socket joined (a room it may see).
      if (!data.rooms.includes(parsed.data.roomId)) {
        return ackOf<OkAck>(ack)({ ok: false, error: { code: 'CONFLICT', message: 'Join the room first.' } })
      }
      data.presence = { ...parsed.data, receivedAt: Date.now() }
      touch(socket)
      ackOf<OkAck>(ack)({ ok: true })
    })

    socket.on('disconnect', () => batch.remove(socket.id))
  })

  admins.on('connection', (socket: Socket) => {
    limitEvents(socket)
    socket.on(EVENTS.command, (raw: unknown, ack: unknown) => onCommand(socket, raw, ack))
    socket.on(EVENTS.clockPing, onClockPing)
    socket.on(EVENTS.roomSync, (raw: unknown, ack: unknown) => onRoomSync(socket, raw, ack))
    socket.on(EVENTS.playersList, async (ack: unknown) => {
      const reply = ackOf<PlayersAck>(ack)
      try {
        reply({ ok: true, players: await listPlayers() })
      } catch (err) {
        reply(errorAck(err))
      }
    })
    listPlayers().then(
      (list) => socket.emit(EVENTS.playersList, { players: list }),
      (err) => log.warn({ err }, 'players list failed'),
    )
  })

  const flush = () => {
    const { players: changed, socketIds } = batch.take()
    if (changed.length > 0) admins.emit(EVENTS.playersUpdate, { players: changed })
    if (socketIds.length > 0) admins.emit(EVENTS.playersRemove, { socketIds })
  }
  const timer = setInterval(flush, opts.presenceFlushMs ?? 1000)
  timer.unref()

  const realtime: Realtime = {
    io,
    publishCommand,
    broadcastRoomState: (roomId, state) => {
      players.to(roomKey(roomId)).emit(EVENTS.roomState, { roomId, state })
    },
    emitToUser: (userId, event, data, o) => {
      ;(o?.local ? players.local : players).to(userKey(userId)).emit(event, data)
    },
    emitToAdmins: (event, data, o) => {
      ;(o?.local ? admins.local : admins).emit(event, data)
    },
    listPlayers,
    close: () => {
      closed = true
      clearInterval(timer)
      if (current() === realtime) setCurrent(undefined)
    },
  }
  setCurrent(realtime)
  return realtime
}

// The route handlers Next bundles load their own copy of this module, so the attached instance
// lives on globalThis, where server.ts put it.
const KEY = Symbol.for('reelhouse.realtime')
const slot = globalThis as unknown as { [KEY]?: Realtime }
const current = (): Realtime | undefined => slot[KEY]
const setCurrent = (r: Realtime | undefined) => {
  slot[KEY] = r
}

/** The instance attached in this process, if any (none in workers, CLIs or a plain `next dev`). */
export const getRealtime = current
/** Makes `r` the instance the module-level functions use (attachRealtime does this itself). */
export const registerRealtime = (r: Realtime | undefined): void => setCurrent(r)

/** Broadcasts an applied command (REST `POST /api/v1/rooms/{id}/commands`); null when no realtime server runs here. */
export const publishCommand = (result: CommandResult): CommandEvent | null => current()?.publishCommand(result) ?? null
export const broadcastRoomState = (roomId: string, state: RoomState): void =>
  current()?.broadcastRoomState(roomId, state)
export const emitToUser = (userId: string, event: string, data: unknown, opts?: EmitOptions): void =>
  current()?.emitToUser(userId, event, data, opts)
export const emitToAdmins = (event: string, data: unknown, opts?: EmitOptions): void =>
  current()?.emitToAdmins(event, data, opts)
