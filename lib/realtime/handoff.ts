import type { ChildProcess } from 'node:child_process'
import http from 'node:http'
import type { Socket as NetSocket } from 'node:net'
import type { Server } from 'socket.io'
import type { Actor } from '@/lib/auth/actor'
import { AppError, type ErrorCode } from '@/lib/errors'
import { log as rootLog } from '@/lib/log'
import { setSocketClients } from '@/lib/metrics/state'
import type { CommandResult } from '@/lib/rooms'
import { errorAck } from './acks'
import type { Command, CommandEvent, ErrorBody, PipelineEventPayload, PlayerInfo, RoomState } from './protocol'
import { type ForwardedEvent, getRealtime, type Realtime, registerRealtime } from './server'

// Isolation of the command layer in its own process, behind the web process's port.
// The web process keeps serving pages, API and media; socket.io WebSocket upgrades are handed
// (the connected socket itself, over IPC) to a realtime child that runs attachRealtime. Once
// handed over, a connection never touches the web process's event loop again, so range streams
// there cannot delay commands. REST command routes in the web process publish through IPC.
// Server-only. WebSocket transport only: long-polling requests stay with the web process, whose
// own polling-only socket.io node reaches the same rooms through the Postgres adapter. The
// realtime child owns the rooms (lib/realtime/room-owner.ts): REST commands are applied there.

const log = rootLog.child({ c: 'realtime-handoff' })

/** The realtime child's first message, once it accepts connections. */
export const REALTIME_READY = 'reelhouse:realtime-ready'
/** Asks the realtime child to close its sockets and exit. */
export const REALTIME_STOP = 'reelhouse:realtime-stop'

interface UpgradeMessage {
  type: 'reelhouse:upgrade'
  method: string
  url: string
  httpVersion: string
  headers: http.IncomingHttpHeaders
  head: string
}
/** Requests the web process makes of the realtime child; each is answered with a RequestReply of the same id. */
type RequestMessage =
  | { type: 'reelhouse:players'; id: number }
  | { type: 'reelhouse:command'; id: number; actor: Actor; roomId: string; command: Command }
  | { type: 'reelhouse:room-state'; id: number; roomId: string }
type PublishMessage =
  | { type: 'reelhouse:publish'; result: CommandResult }
  | { type: 'reelhouse:state'; roomId: string; state: RoomState }
  | { type: 'reelhouse:user'; userId: string; event: ForwardedEvent; data: PipelineEventPayload; local?: boolean }
  | { type: 'reelhouse:admins'; event: ForwardedEvent; data: PipelineEventPayload; local?: boolean }

/**
 * In the web process: hand every upgrade request under `path` (socket.io's, by default) to the
 * realtime child, and register an IPC-backed Realtime so publishCommand() and friends reach it.
 */
export function forwardUpgrades(httpServer: http.Server, child: ChildProcess, path = '/socket.io/'): void {
  httpServer.on('upgrade', (req: http.IncomingMessage, socket: NetSocket, head: Buffer) => {
    if (!req.url?.startsWith(path)) return
    const msg: UpgradeMessage = {
      type: 'reelhouse:upgrade',
      method: req.method ?? 'GET',
      url: req.url,
      httpVersion: req.httpVersion,
      headers: req.headers,
      head: head.toString('base64'),
    }
    child.send(msg, socket, (err) => {
      if (err) {
        log.warn({ err }, 'upgrade hand-off failed')
        socket.destroy()
      }
    })
  })
  registerRealtime(ipcRealtime(child))
}

/** The realtime process's connected clients per namespace, for the web process's /metrics. */
interface ClientsMessage {
  type: 'reelhouse:clients'
  namespace: string
  n: number
}

/** In the realtime child: reports a namespace's client count to the web process (observeSocketServer's `report`). */
export function reportClientsToParent(n: number, namespace: string): void {
  process.send?.({ type: 'reelhouse:clients', namespace, n } satisfies ClientsMessage)
}

interface RequestReply {
  type: 'reelhouse:reply'
  id: number
  value?: unknown
  error?: ErrorBody
}

/** The web process's view of the realtime child: commands, publishes and player lists go over IPC. */
function ipcRealtime(child: ChildProcess): Realtime {
  const send = (msg: PublishMessage | RequestMessage) => {
    if (child.connected) child.send(msg)
  }
  let nextId = 0
  const pending = new Map<number, (reply: RequestReply) => void>()
  child.on('message', (msg: RequestReply | ClientsMessage) => {
    if (msg?.type === 'reelhouse:clients') return setSocketClients(msg.n, msg.namespace, 'realtime')
    if (msg?.type !== 'reelhouse:reply') return
    pending.get(msg.id)?.(msg)
    pending.delete(msg.id)
  })
  type Request = RequestMessage extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never
  const request = <T>(msg: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new AppError('UNAVAILABLE', 'The realtime process did not answer.'))
      }, 5000)
      pending.set(id, (reply) => {
        clearTimeout(timer)
        if (reply.error) reject(new AppError(reply.error.code as ErrorCode, reply.error.message))
        else resolve(reply.value as T)
      })
      send({ ...msg, id } as RequestMessage)
    })
  return {
    get io(): Server {
      throw new Error('socket.io runs in the realtime process')
    },
    applyCommand: (actor, roomId, command) => request<CommandResult>({ type: 'reelhouse:command', actor, roomId, command }),
    roomState: (roomId) => request<RoomState | null>({ type: 'reelhouse:room-state', roomId }),
    publishCommand: (result) => {
      if (result.event) return result.event // broadcast by the owner node when it applied it
      send({ type: 'reelhouse:publish', result })
      // The child stamps serverTime when it emits; this copy is for the caller's response.
      return result.event ?? ({ ...result.command, seq: result.seq, serverTime: Date.now(), state: result.state } as CommandEvent)
    },
    broadcastRoomState: (roomId, state) => send({ type: 'reelhouse:state', roomId, state }),
    emitToUser: (userId, event, data, o) => send({ type: 'reelhouse:user', userId, event, data, local: o?.local }),
    emitToAdmins: (event, data, o) => send({ type: 'reelhouse:admins', event, data, local: o?.local }),
    listPlayers: () => request<PlayerInfo[]>({ type: 'reelhouse:players' }),
    close: async () => undefined,
  }
}

/** Carries out one of the web process's requests in the realtime child. */
function answer(realtime: Realtime, msg: RequestMessage): Promise<unknown> {
  switch (msg.type) {
    case 'reelhouse:players':
      return realtime.listPlayers()
    case 'reelhouse:command':
      return realtime.applyCommand(msg.actor, msg.roomId, msg.command)
    case 'reelhouse:room-state':
      return realtime.roomState(msg.roomId)
  }
}

const REQUESTS = new Set<string>(['reelhouse:players', 'reelhouse:command', 'reelhouse:room-state'])

/**
 * In the realtime child, after attachRealtime(io, …): take the connections the web process hands
 * over, and carry out its publish requests. `io` must be attached to an http server (any, even
 * one that never listens) so that it has an engine.
 */
export function acceptForwardedUpgrades(io: Server): void {
  process.on('message', (msg: UpgradeMessage | PublishMessage | RequestMessage, handle?: unknown) => {
    if (msg?.type === 'reelhouse:upgrade') {
      const socket = handle as NetSocket | undefined
      if (!socket) return
      const req = new http.IncomingMessage(socket)
      req.method = msg.method
      req.url = msg.url
      req.httpVersion = msg.httpVersion
      req.headers = msg.headers
      io.engine.handleUpgrade(req, socket, Buffer.from(msg.head, 'base64'))
      return
    }
    const realtime = getRealtime()
    if (!realtime) return
    if (REQUESTS.has(msg?.type)) {
      const req = msg as RequestMessage
      answer(realtime, req).then(
        (value) => process.send?.({ type: 'reelhouse:reply', id: req.id, value } satisfies RequestReply),
        (err) => process.send?.({ type: 'reelhouse:reply', id: req.id, error: errorAck(err).error } satisfies RequestReply),
      )
    } else if (msg?.type === 'reelhouse:publish') realtime.publishCommand(msg.result)
    else if (msg?.type === 'reelhouse:state') realtime.broadcastRoomState(msg.roomId, msg.state)
    else if (msg?.type === 'reelhouse:user') realtime.emitToUser(msg.userId, msg.event, msg.data, { local: msg.local })
    else if (msg?.type === 'reelhouse:admins') realtime.emitToAdmins(msg.event, msg.data, { local: msg.local })
  })
}
