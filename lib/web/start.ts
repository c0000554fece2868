import { type ChildProcess, fork } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import next from 'next'
import { Server as SocketServer } from 'socket.io'
import { readEnv } from '@/lib/config/env'
import { disconnectDb } from '@/lib/db'
import { log } from '@/lib/log'
import { forwardUpgrades, REALTIME_READY, REALTIME_STOP } from '@/lib/realtime/handoff'
import { realtimeServerOptions } from '@/lib/realtime/server'
import { prunePersonalRooms } from '@/lib/rooms'
import { lowerOwnPriority } from './process-priority'
import { startRealtimeNode } from './realtime-node'
import { refuseMalformed, setBaselineHeaders } from './request-guard'

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
      setBaselineHeaders(res)
      if (refuseMalformed(req, res)) return
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
  // With the realtime process, WebSocket upgrades go to it and this node keeps long-polling
  // clients only; both are nodes of one cluster through the Postgres adapter.
  const isolated = env.REALTIME_PROCESS === '1'
  const io = new SocketServer(server, { ...realtimeServerOptions, serveClient: false, ...(isolated ? { transports: ['polling'] } : {}) })
  // With a realtime process, it owns the rooms; this node forwards its polling clients' commands.
  const node = await startRealtimeNode(io, env.DATABASE_URL, { ownsRooms: !isolated })
  let realtimeChild: ChildProcess | null = null
  if (isolated) {
    realtimeChild = await startRealtimeProcess()
    // REST commands and the admin's player list now go through the realtime process.
    forwardUpgrades(server, realtimeChild)
    realtimeChild.once('exit', (code, signal) => {
      if (closing) return
      // Serving pages without commands would hide the failure: stop, with an error.
      log.error({ code, signal }, 'the realtime process exited; stopping')
      void shutdown('realtime-exit', 1)
    })
    // Commands first: pages, API and media bytes yield the CPU to the realtime process.
    lowerOwnPriority(env.WEB_NICE)
  }

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
  const shutdown = async (signal: string, exitCode = 0) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'web stopping')
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    await stopRealtimeProcess(realtimeChild)
    await node.stop() // closes io and with it the HTTP server: stops accepting, ends sockets
    server.closeAllConnections()
    await app.close().catch(() => {})
    await disconnectDb()
    process.exit(exitCode)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
  return { server, io, port, realtime: node.realtime }
}

/** Forks lib/web/realtime-process.ts (same runtime flags, so TypeScript loads) and waits until it is ready. */
function startRealtimeProcess(): Promise<ChildProcess> {
  const child = fork(new URL('./realtime-process.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the realtime process exited (${code}) before it was ready`))
    child.once('exit', onExit)
    child.on('message', function ready(msg: { type?: string }) {
      if (msg?.type !== REALTIME_READY) return
      child.off('message', ready)
      child.off('exit', onExit)
      resolve(child)
    })
  })
}

async function stopRealtimeProcess(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  if (child.connected) child.send({ type: REALTIME_STOP })
  else child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
