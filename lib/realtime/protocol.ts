import { z } from 'zod'
import { idString } from '@/lib/validation/text'

// The realtime wire protocol, shared by the socket.io server (lib/realtime/server.ts) and the
// browser (lib/realtime/commands-manager.ts). Zod only: this module is bundled into the client.
// Every payload a peer sends is parsed with these schemas; what fails is answered with an error
// ack and never applied.

/** Socket.io namespaces. */
export const NAMESPACES = { player: '/player', admin: '/admin' } as const

/** Event names, one place, so server and client cannot drift. */
export const EVENTS = {
  // client -> server (both namespaces unless noted)
  command: 'command',
  roomJoin: 'room.join',
  roomLeave: 'room.leave',
  roomSync: 'room.sync',
  /** /player: create or reuse this browser session's personal room and join it. */
  roomPersonal: 'room.personal',
  /** /player: a player's buffer health and position; no ack. */
  presence: 'presence',
  /** Ack-based clock probe: the ack is the pong. */
  clockPing: 'clock.ping',
  /** /player: a together room member's playback state and drift; no ack. */
  memberReport: 'member.report',
  // server -> client
  /** /player: a command applied to a room, in the room's seq order. */
  commandEvent: 'command',
  /** /player: the whole state of a room, pushed when it changed outside a command (e.g. renamed). */
  roomState: 'room.state',
  /** /player: a together room's members and the wait for a stalled one, pushed when they change. */
  roomMembers: 'room.members',
  /** /admin: the full list of connected players (on connect, and the ack of a request). */
  playersList: 'players.list',
  /** /admin: players whose presence changed since the last flush. */
  playersUpdate: 'players.update',
  /** /admin: players that disconnected since the last flush. */
  playersRemove: 'players.remove',
  /** /player (the content's uploaders) and /admin: a transcode pipeline event, forwarded by every web node. */
  pipelineEvent: 'pipeline.event',
} as const

// Ids are cuids in practice; bounded so a peer cannot make the server hash megabytes.
const id = idString(128)
/** Browser-session id chosen by the client (kept in sessionStorage); part of a personal room id. */
export const clientIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and "-" only')
/** Upper bound on a room's playlist; larger lists are split into playlists anyway. */
export const MAX_ROOM_VIDEOS = 500
/** 24 days: the Room.positionMs column is a 32-bit integer. */
export const MAX_POSITION_MS = 2_000_000_000

const positionMs = z.number().int().min(0).max(MAX_POSITION_MS)

export const COMMAND_TYPES = ['playlist.load', 'play', 'pause', 'seek', 'next', 'prev', 'select', 'rate'] as const
/** Playback rates a room may be set to. */
export const MIN_RATE = 0.25
export const MAX_RATE = 4
export type CommandType = (typeof COMMAND_TYPES)[number]

const playlistLoad = z
  .object({
    type: z.literal('playlist.load'),
    roomId: id,
    videoIds: z.array(id).min(1).max(MAX_ROOM_VIDEOS).optional(),
    playlistId: id.optional(),
    startIndex: z.number().int().min(0).max(MAX_ROOM_VIDEOS).optional(),
  })
  .refine((c) => (c.videoIds === undefined) !== (c.playlistId === undefined), {
    message: 'give exactly one of videoIds or playlistId',
    path: ['videoIds'],
  })

/** A playback command for one room. */
export const commandSchema = z.discriminatedUnion('type', [
  playlistLoad,
  z.object({ type: z.literal('play'), roomId: id }),
  z.object({ type: z.literal('pause'), roomId: id }),
  z.object({ type: z.literal('seek'), roomId: id, positionMs }),
  z.object({ type: z.literal('next'), roomId: id }),
  z.object({ type: z.literal('prev'), roomId: id }),
  z.object({ type: z.literal('select'), roomId: id, index: z.number().int().min(0).max(MAX_ROOM_VIDEOS) }),
  z.object({ type: z.literal('rate'), roomId: id, rate: z.number().min(MIN_RATE).max(MAX_RATE) }),
])
export type Command = z.infer<typeof commandSchema>
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>

/**
 * The authoritative playback state of a room. `positionMs` is the position at `updatedAt`
 * (server epoch ms); while playing, the effective position is
 * `positionMs + (serverNow - updatedAt) * rate` (see effectivePositionMs).
 */
export const roomStateSchema = z.object({
  id,
  name: z.string(),
  videoIds: z.array(z.string()),
  currentIndex: z.number().int().min(0),
  positionMs: z.number().int().min(0),
  playing: z.boolean(),
  rate: z.number().positive(),
  seq: z.number().int().min(0),
  updatedAt: z.number(),
})
export type RoomState = z.infer<typeof roomStateSchema>

/** Where playback of `state` is at server time `serverNow` (ms). */
export function effectivePositionMs(state: RoomState, serverNow: number): number {
  if (!state.playing) return state.positionMs
  return state.positionMs + Math.max(0, serverNow - state.updatedAt) * state.rate
}

/** Server -> client: a command as applied, with the room state after it. */
export type CommandEvent = Command & {
  seq: number
  /** Server epoch ms when the event left the server (latency = receive time - serverTime, clock-corrected). */
  serverTime: number
  state: RoomState
}
export const commandEventSchema = z.intersection(commandSchema, z.object({ seq: z.number().int().min(1), serverTime: z.number(), state: roomStateSchema }))

export const errorBodySchema = z.object({ code: z.string(), message: z.string() })
export type ErrorBody = z.infer<typeof errorBodySchema>
export interface ErrorAck {
  ok: false
  error: ErrorBody
}

/** The ack of a command. Timestamps are server epoch ms. */
export type CommandAck = { ok: true; seq: number; serverReceivedAt: number; serverSentAt: number } | ErrorAck
export const commandAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), seq: z.number().int(), serverReceivedAt: z.number(), serverSentAt: z.number() }),
  z.object({ ok: z.literal(false), error: errorBodySchema }),
])

export const roomRefSchema = z.object({ roomId: id })
export type RoomRef = z.infer<typeof roomRefSchema>
export const personalRoomRequestSchema = z.object({ clientId: clientIdSchema })
export type PersonalRoomRequest = z.infer<typeof personalRoomRequestSchema>

/** The ack of room.join / room.sync / room.personal. */
export type RoomAck = { ok: true; state: RoomState } | ErrorAck
export type OkAck = { ok: true } | ErrorAck

/** Pushed by `room.state`. */
export interface RoomStateEvent {
  roomId: string
  state: RoomState
}

export const PRESENCE_SOURCES = ['abr', 'direct', 'chunked'] as const
/** A player's report, sent every few seconds. */
export const presenceSchema = z.object({
  roomId: id,
  videoId: id.nullable(),
  positionMs: z.number().min(0).max(MAX_POSITION_MS),
  bufferedAheadMs: z.number().min(0).max(MAX_POSITION_MS),
  source: z.enum(PRESENCE_SOURCES),
  playing: z.boolean(),
})
export type PresenceReport = z.infer<typeof presenceSchema>

export const MEMBER_STATES = ['playing', 'paused', 'buffering', 'waiting'] as const
export type MemberState = (typeof MEMBER_STATES)[number]
const driftBound = 86_400_000
/** A together member's report: what its player does and how far it is from the room's timeline. */
export const memberReportSchema = z.object({
  roomId: id,
  state: z.enum(MEMBER_STATES),
  positionMs: z.number().min(0).max(MAX_POSITION_MS),
  /** Player position minus the timeline's (ms): positive means ahead. */
  driftMs: z.number().min(-driftBound).max(driftBound),
  rttMs: z.number().min(0).max(600_000),
  /** The last room seq this member applied. */
  seq: z.number().int().min(0),
  /** Buffering because the media starved while it played in step (not a seek or a join loading). */
  stall: z.boolean().optional(),
})
export type MemberReport = z.infer<typeof memberReportSchema>

/** One member of a together room as everyone sees it. */
export interface RoomMember {
  userId: string
  name: string
  state: MemberState
  positionMs: number
  driftMs: number
  rttMs: number
  seq: number
  /** Server epoch ms of the last report; null before the first. */
  reportedAt: number | null
}
/** The room waits for this member until `until` (server epoch ms). */
export interface RoomHold {
  userId: string
  name: string
  until: number
}
export interface RoomMembersEvent {
  roomId: string
  members: RoomMember[]
  hold: RoomHold | null
}

/** What /admin sees of one connected player socket. */
export interface PlayerInfo {
  socketId: string
  userId: string
  email: string
  /** Set once the player asked for its personal room: commands to this room reach this session only. */
  clientId: string | null
  personalRoomId: string | null
  /** Room ids this socket joined. */
  rooms: string[]
  connectedAt: number
  presence: (PresenceReport & { receivedAt: number }) | null
  /** Set while the socket is a member of a together room. */
  member?: (MemberReport & { name: string; receivedAt: number }) | null
}
export interface PlayersListEvent {
  players: PlayerInfo[]
}
export interface PlayersRemoveEvent {
  socketIds: string[]
}
export type PlayersAck = { ok: true; players: PlayerInfo[] } | ErrorAck

/** Clock probe: the client sends its send time t0; the ack carries the server receive (t1) and send (t2) times. */
export const clockPingSchema = z.object({ t0: z.number() })
export type ClockPing = z.infer<typeof clockPingSchema>
export interface ClockPong {
  t0: number
  t1: number
  t2: number
}

/** Typed socket.io event maps (socket.io's generics take these). */
export interface PlayerClientToServer {
  [EVENTS.command]: (cmd: Command, ack: (a: CommandAck) => void) => void
  [EVENTS.roomJoin]: (ref: RoomRef, ack: (a: RoomAck) => void) => void
  [EVENTS.roomLeave]: (ref: RoomRef, ack: (a: OkAck) => void) => void
  [EVENTS.roomSync]: (ref: RoomRef, ack: (a: RoomAck) => void) => void
  [EVENTS.roomPersonal]: (req: PersonalRoomRequest, ack: (a: RoomAck) => void) => void
  [EVENTS.presence]: (report: PresenceReport) => void
  [EVENTS.clockPing]: (ping: ClockPing, ack: (pong: ClockPong) => void) => void
  [EVENTS.memberReport]: (report: MemberReport) => void
}
/** A transcode pipeline event as the worker notified it; clients normalise it (lib/player/realtime.ts). */
export type PipelineEventPayload = object
export interface PlayerServerToClient {
  [EVENTS.commandEvent]: (event: CommandEvent) => void
  [EVENTS.roomState]: (event: RoomStateEvent) => void
  [EVENTS.roomMembers]: (event: RoomMembersEvent) => void
  [EVENTS.pipelineEvent]: (event: PipelineEventPayload) => void
}
export interface AdminClientToServer {
  [EVENTS.command]: (cmd: Command, ack: (a: CommandAck) => void) => void
  [EVENTS.roomSync]: (ref: RoomRef, ack: (a: RoomAck) => void) => void
  [EVENTS.playersList]: (ack: (a: PlayersAck) => void) => void
  [EVENTS.clockPing]: (ping: ClockPing, ack: (pong: ClockPong) => void) => void
}
export interface AdminServerToClient {
  [EVENTS.playersList]: (event: PlayersListEvent) => void
  [EVENTS.playersUpdate]: (event: PlayersListEvent) => void
  [EVENTS.playersRemove]: (event: PlayersRemoveEvent) => void
  [EVENTS.pipelineEvent]: (event: PipelineEventPayload) => void
}

/** A zod failure as the error body of an ack. */
export function invalidInput(error: z.ZodError): ErrorAck {
  const issue = error.issues[0]
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  return { ok: false, error: { code: 'INVALID_INPUT', message: `${where}${issue?.message ?? 'invalid'}` } }
}
