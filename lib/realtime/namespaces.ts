import type { Namespace, Socket } from 'socket.io'
import type { RateLimiter } from '@/lib/api/rate-limit'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { AppError } from '@/lib/errors'
import { log as rootLog } from '@/lib/log'
import { type CommandResult, getRoom, type RoomView } from '@/lib/rooms'
import { ackOf, errorAck } from './acks'
import type { PlayerSocketData } from './presence'
import {
  type AdminClientToServer,
  type AdminServerToClient,
  type ClockPong,
  type Command,
  type CommandAck,
  clockPingSchema,
  commandSchema,
  type ErrorAck,
  invalidInput,
  type PlayerClientToServer,
  type PlayerServerToClient,
  type RoomAck,
  type RoomState,
  roomRefSchema,
} from './protocol'

// What both namespaces share: the socket types from the protocol's event maps, the handshake
// check, the per-socket event limit and the command, clock and sync handlers.

const log = rootLog.child({ c: 'realtime' })

/** Nothing crosses between server nodes except through the adapter's own messages. */
type NoServerEvents = Record<string, never>
export interface AdminSocketData {
  actor: Actor
}

export type PlayerNamespace = Namespace<PlayerClientToServer, PlayerServerToClient, NoServerEvents, PlayerSocketData>
export type PlayerSocket = Socket<PlayerClientToServer, PlayerServerToClient, NoServerEvents, PlayerSocketData>
export type AdminNamespace = Namespace<AdminClientToServer, AdminServerToClient, NoServerEvents, AdminSocketData>
export type AdminSocket = Socket<AdminClientToServer, AdminServerToClient, NoServerEvents, AdminSocketData>

export type Handshake = Socket['handshake']
/** Maps a socket.io handshake (session cookie, or `auth: { token }` API key) to an actor; null refuses the connection. */
export type Authenticate = (handshake: Handshake) => Promise<Actor | null>

function refuse(code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UNAVAILABLE', message: string): Error {
  const err: Error & { data?: unknown } = new Error(code)
  err.data = { code, message }
  return err
}

/** Refuses a connection without an actor (or, `adminOnly`, without an admin), else keeps the actor on `socket.data`. */
export function authMiddleware(authenticate: Authenticate, adminOnly: boolean) {
  return async (socket: { handshake: Handshake; data: { actor?: Actor } }, next: (err?: Error) => void) => {
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

/** A socket middleware dropping events past the socket's budget, with a RATE_LIMITED ack. */
export const eventLimit =
  (limiter: RateLimiter, socketId: string) =>
  (packet: unknown[], next: (err?: Error) => void): void => {
    if (limiter.take(socketId).ok) {
      next()
      return
    }
    ackOf<ErrorAck>(packet[packet.length - 1])({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many events; slow down.' } })
  }

/** The room operations a node's handlers use: its RoomOwner's. */
export interface NodeRooms {
  applyCommand(actor: Actor, roomId: string, command: Command): Promise<CommandResult>
  roomState(roomId: string): Promise<RoomState | null>
}

/** A room the actor may see, with the live state its owner node holds (the row may lag by one write). */
export async function readRoom(rooms: NodeRooms, actor: Actor, roomId: string): Promise<RoomView> {
  const view = await getRoom(actor, roomId)
  const live = await rooms.roomState(roomId)
  return live ? { ...view, ...live } : view
}

/**
 * The handlers both namespaces serve. Payloads are whatever the peer sent (typed by the event
 * maps, but unchecked): each is parsed before use, and a missing ack is tolerated.
 */
export function commonHandlers(rooms: NodeRooms) {
  return {
    rooms,

    /** Validate, apply (seq and broadcast from the owner's state, no database write waited for), then ack with timestamps. */
    async command(actor: Actor, raw: unknown, ack: unknown): Promise<void> {
      const serverReceivedAt = Date.now()
      const reply = ackOf<CommandAck>(ack)
      const parsed = commandSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      try {
        const result = await rooms.applyCommand(actor, parsed.data.roomId, parsed.data)
        reply({ ok: true, seq: result.seq, serverReceivedAt, serverSentAt: Date.now() })
      } catch (err) {
        reply(errorAck(err))
      }
    },

    clockPing(raw: unknown, ack: unknown): void {
      const t1 = Date.now()
      const parsed = clockPingSchema.safeParse(raw)
      if (!parsed.success) return
      ackOf<ClockPong>(ack)({ t0: parsed.data.t0, t1, t2: Date.now() })
    },

    async roomSync(actor: Actor, raw: unknown, ack: unknown): Promise<void> {
      const reply = ackOf<RoomAck>(ack)
      const parsed = roomRefSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      try {
        reply({ ok: true, state: await readRoom(rooms, actor, parsed.data.roomId) })
      } catch (err) {
        reply(errorAck(err))
      }
    },
  }
}

export type CommonHandlers = ReturnType<typeof commonHandlers>
