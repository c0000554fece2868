import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { Server } from 'socket.io'
import { io as ioClient, type Socket } from 'socket.io-client'
import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { attachRealtime, type Realtime, realtimeServerOptions } from '@/lib/realtime/server'

// Real http servers with socket.io on 127.0.0.1:0 and real socket.io-client connections. The
// handshake maps `auth.token` to a user created in the test database.

const actors = new Map<string, Actor>()

export async function createUser(role: 'USER' | 'ADMIN' = 'USER'): Promise<{ actor: Actor; token: string }> {
  const email = `${role.toLowerCase()}-${randomBytes(4).toString('hex')}@rt.test`
  const user = await db.user.create({ data: { email, passwordHash: 'x', role } })
  const actor: Actor = { userId: user.id, email, role, via: 'session', scopes: ['read', 'write', 'admin'] }
  const token = randomBytes(12).toString('hex')
  actors.set(token, actor)
  return { actor, token }
}

export const authenticate = async (handshake: { auth: Record<string, unknown> }): Promise<Actor | null> =>
  actors.get(String(handshake.auth?.token ?? '')) ?? null

export async function createVideo(ownerId: string, visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE' = 'PUBLIC') {
  const hash = randomBytes(32).toString('hex')
  // Stored: unfinished videos are their owner's alone, and these stand for ordinary videos.
  await db.content.create({ data: { hash, size: 1, mime: 'video/mp4', state: 'STORED', storedAt: new Date() } })
  return db.video.create({ data: { ownerId, title: `v-${hash.slice(0, 6)}`, visibility, contentHash: hash } })
}

export interface Node {
  url: string
  io: Server
  realtime: Realtime
  close(): Promise<void>
}

/** One web node: an http server with socket.io and attachRealtime; `cluster` puts it on the postgres adapter. */
export async function startNode(opts: { cluster?: boolean } = {}): Promise<Node> {
  const httpServer = http.createServer()
  const io = new Server(httpServer, realtimeServerOptions)
  const pool = opts.cluster ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 }) : undefined
  const realtime = await attachRealtime(io, { authenticate, adapterPool: pool, presenceFlushMs: 100 })
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const { port } = httpServer.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    realtime,
    close: async () => {
      await realtime.close()
      await new Promise<void>((resolve) => io.close(() => resolve()))
      await pool?.end()
    },
  }
}

/** A connected client socket, or the connect_error it got. */
export async function connect(url: string, namespace: '/player' | '/admin', token?: string): Promise<Socket> {
  const socket = ioClient(`${url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: token ? { token } : {},
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (err) => {
      socket.close()
      reject(err)
    })
  })
  return socket
}

/** Collects every event of one name a socket receives. */
export function collect<T>(socket: Socket, event: string): T[] {
  const out: T[] = []
  socket.on(event, (payload: T) => out.push(payload))
  return out
}

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
