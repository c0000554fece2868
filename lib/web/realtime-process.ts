import http from 'node:http'
import { Server as SocketServer } from 'socket.io'
import { readEnv } from '@/lib/config/env'
import { disconnectDb } from '@/lib/db'
import { log } from '@/lib/log'
import { observeSocketServer } from '@/lib/metrics/http'
import { acceptForwardedUpgrades, REALTIME_READY, REALTIME_STOP, reportClientsToParent } from '@/lib/realtime/handoff'
import { realtimeServerOptions } from '@/lib/realtime/server'
import { startRealtimeNode } from './realtime-node'

// The realtime process, forked by the web process (lib/web/start.ts): socket.io on the WebSocket
// connections the web process hands over, on an event loop and at a CPU priority that media
// streams, page renders and encodes do not share, so playback commands never wait behind them.

async function main() {
  const env = readEnv()
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set')
  // Never listens: it gives socket.io an engine for the handed-over upgrades.
  const io = new SocketServer(http.createServer(), { ...realtimeServerOptions, transports: ['websocket'], serveClient: false })
  const node = await startRealtimeNode(io, env.DATABASE_URL)
  acceptForwardedUpgrades(io)
  observeSocketServer(io, undefined, reportClientsToParent)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    const force = setTimeout(() => process.exit(1), 5000)
    force.unref()
    await node.stop()
    await disconnectDb()
    process.exit(0)
  }
  // The web process stops us with a message or a signal; if it dies, the IPC channel closes.
  process.on('message', (msg: { type?: string }) => msg?.type === REALTIME_STOP && void stop())
  process.on('disconnect', () => void stop())
  process.once('SIGTERM', () => void stop())
  process.once('SIGINT', () => void stop())
  process.send?.({ type: REALTIME_READY })
  log.info({ pid: process.pid }, 'realtime process ready')
}

main().catch((err) => {
  console.error(`reelhouse realtime: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
})
