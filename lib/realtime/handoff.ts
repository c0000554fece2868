import type { ChildProcess } from 'node:child_process'
import http from 'node:http'
import type { Socket as NetSocket } from 'node:net'
import type { Server } from 'socket.io'
import { log as rootLog } from '@/lib/log'
import { setSocketClients } from '@/lib/metrics/state'
import type { CommandResult } from '@/lib/rooms'
import type { CommandEvent, PipelineEventPayload, PlayerInfo, RoomState } from './protocol'
import { type ForwardedEvent, getRealtime, type Realtime, registerRealtime } from './server'

// Isolation of the command layer in its own process, behind the web process's port.
// The web process keeps serving pages, API and media; socket.io WebSocket upgrades are handed
// (the connected socket itself, over IPC) to a realtime child that runs attachRealtime. Once
// handed over, a connection never touches the web process's event loop again, so range streams
// there cannot delay commands. REST command routes in the web process publish through IPC.
// Server-only. WebSocket transport only: long-polling requests stay with the web process, whose
// own polling-only socket.io node reaches the same rooms through the Postgres adapter.

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
type PublishMessage =
  | { type: 'reelhouse:players'; id: number }
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

interface PlayersReply {
  type: 'reelhouse:players.reply'
  id: number
  players: PlayerInfo[]
}

/** The web process's view of the realtime child: publishes and player lists go over IPC. */
function ipcRealtime(child: ChildProcess): Realtime {
  const send = (msg: PublishMessage) => {
    if (child.connected) child.send(msg)
  }
  let nextId = 0
  const pending = new Map<number, (players: PlayerInfo[]) => void>()
  child.on('message', (msg: PlayersReply | ClientsMessage) => {
    if (msg?.type === 'reelhouse:clients') return setSocketClients(msg.n, msg.namespace, 'realtime')
    if (msg?.type !== 'reelhouse:players.reply') return
    pending.get(msg.id)?.(msg.players)
    pending.delete(msg.id)
  })
  const listPlayers = () =>
    new Promise<PlayerInfo[]>((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error('the realtime process did not answer'))
      }, 5000)
      pending.set(id, (players) => {
        clearTimeout(timer)
        resolve(players)
      })
      send({ type: 'reelhouse:players', id })
    })
  return {
    get io(): Server {
      throw new Error('socket.io runs in the realtime process')
    },
    publishCommand: (result) => {
      send({ type: 'reelhouse:publish', result })
      // The child stamps serverTime when it emits; this copy is for the caller's response.
      return { ...result.command, seq: result.seq, serverTime: Date.now(), state: result.state } as CommandEvent
    },
    broadcastRoomState: (roomId, state) => send({ type: 'reelhouse:state', roomId, state }),
    emitToUser: (userId, event, data, o) => send({ type: 'reelhouse:user', userId, event, data, local: o?.local }),
    emitToAdmins: (event, data, o) => send({ type: 'reelhouse:admins', event, data, local: o?.local }),
    listPlayers,
    close: () => undefined,
  }
}

/**
 * In the realtime child, after attachRealtime(io, …): take the connections the web process hands
 * over, and carry out its publish requests. `io` must be attached to an http server (any, even
 * one that never listens) so that it has an engine.
 */
export function acceptForwardedUpgrades(io: Server): void {
  process.on('message', (msg: UpgradeMessage | PublishMessage, handle?: unknown) => {
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
    if (msg?.type === 'reelhouse:players') {
      const id = msg.id
      realtime.listPlayers().then(
        (players) => process.send?.({ type: 'reelhouse:players.reply', id, players } satisfies PlayersReply),
        (err) => log.warn({ err }, 'players list failed'),
      )
    } else if (msg?.type === 'reelhouse:publish') realtime.publishCommand(msg.result)
    else if (msg?.type === 'reelhouse:state') realtime.broadcastRoomState(msg.roomId, msg.state)
    else if (msg?.type === 'reelhouse:user') realtime.emitToUser(msg.userId, msg.event, msg.data, { local: msg.local })
    else if (msg?.type === 'reelhouse:admins') realtime.emitToAdmins(msg.event, msg.data, { local: msg.local })
  })
}
