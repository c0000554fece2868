import http from 'node:http'
import { Server } from 'socket.io'
import type { Actor } from '@/lib/auth/actor'
import { acceptForwardedUpgrades } from '@/lib/realtime/handoff'
import { attachRealtime, realtimeServerOptions } from '@/lib/realtime/server'
import { probeRealtime } from './probe'

// The realtime process of the isolated layout: socket.io on connections the web process hands over.

const actors = new Map<string, Actor>(JSON.parse(process.env.BENCH_ACTORS!) as [string, Actor][])

async function main() {
  // Never listens: it only gives socket.io an engine for the handed-over upgrades.
  const io = new Server(http.createServer(), { ...realtimeServerOptions, transports: ['websocket'] })
  const realtime = await attachRealtime(io, {
    authenticate: async (handshake) => actors.get(String(handshake.auth?.token ?? '')) ?? null,
  })
  acceptForwardedUpgrades(io)
  const probe = probeRealtime(io)
  process.on('message', (msg: { type: string }) => {
    if (msg?.type === 'lag.reset') probe.reset()
    else if (msg?.type === 'lag.read') process.send?.(probe.read(0))
    else if (msg?.type === 'stop') {
      realtime.close().finally(() => process.exit(0))
    }
  })
  process.on('disconnect', () => process.exit(0))
  process.send?.({ type: 'ready' })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
