import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import next from 'next'
import pg from 'pg'
import { Server as SocketServer } from 'socket.io'
import { actorFromHandshake } from '@/lib/auth/socket'
import { readEnv } from '@/lib/config/env'
import { disconnectDb } from '@/lib/db'
import { log } from '@/lib/log'
import { attachRealtime, realtimeServerOptions } from '@/lib/realtime/server'
import { prunePersonalRooms } from '@/lib/rooms'
import { startEventsBridge } from './events-bridge'

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/**
 * Starts Next and socket.io on one port. `preHandlers` answer some paths before Next (media
 * bytes, so they keep an exact Content-Length); each returns true when it took the request.
 */
export async function startWebServer(opts: { preHandlers?: Handler[] } = {}) {
  const env = readEnv()
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it for you; npm run web needs it)')
  if (!env.NEXTAUTH_SECRET) throw new Error('NEXTAUTH_SECRET is not set (npm start generates one in DATA_DIR)')
  const dev = env.NODE_ENV !== 'production'
  const app = next({ dev, hostname: env.HOST, port: env.PORT, dir: process.cwd() })
  const handle = app.getRequestHandler()
  await app.prepare()

  const preHandlers = opts.preHandlers ?? []
  const server = createServer(async (req, res) => {
    try {
      for (const h of preHandlers) if (await h(req, res)) return
      await handle(req, res)
    } catch (err) {
      log.error({ err, url: req.url }, 'request failed')
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' })
      res.end(JSON.stringify({ type: 'about:blank', title: 'Internal server error', status: 500, code: 'INTERNAL' }))
    }
  })
  // Longer than Node's 5 s: a slow player may still be draining a large range from the kernel
  // when the server has finished writing it, and would otherwise find its socket closed.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  const io = new SocketServer(server, { ...realtimeServerOptions, serveClient: false })
  // Through Postgres so commands and pipeline events reach sockets on every web node.
  const adapterPool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 })
  const realtime = await attachRealtime(io, { authenticate: actorFromHandshake, adapterPool })
  const bridge = startEventsBridge(env.DATABASE_URL, {
    // Every node LISTENs to the same NOTIFY, so each delivers to its own sockets only.
    emitToUser: (userId, event, data) => realtime.emitToUser(userId, event, data, { local: true }),
    emitToAdmins: (event, data) => realtime.emitToAdmins(event, data, { local: true }),
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${env.PORT} on ${env.HOST} is already in use (set PORT)`) : err),
    )
    server.listen(env.PORT, env.HOST, resolve)
  })
  // Personal rooms belong to one open player; those idle for a day are removed.
  const prune = setInterval(() => void prunePersonalRooms(new Date(Date.now() - 86_400_000)).catch(() => {}), 3600_000)
  prune.unref()
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : env.PORT
  log.info({ url: `http://${env.HOST}:${port}` }, 'web ready')

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'web stopping')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    realtime.close()
    await bridge.stop()
    io.close() // also closes the HTTP server: stops accepting and ends sockets
    server.closeAllConnections()
    await adapterPool.end().catch(() => {})
    await app.close().catch(() => {})
    await disconnectDb()
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
  return { server, io, port, realtime }
}
