import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Server } from 'socket.io'
import type { FromServer } from './shared'

// Measurements inside the process that runs socket.io: event-loop delay, CPU, and how long each
// command broadcast to the room keeps the loop (encode once, one write per socket).

export function probeRealtime(io: Server) {
  const lag = monitorEventLoopDelay({ resolution: 1 })
  lag.enable()
  let broadcastMs: number[] = []
  const adapter = io.of('/player').adapter
  const broadcast = adapter.broadcast.bind(adapter)
  adapter.broadcast = (packet, opts) => {
    const t = performance.now()
    broadcast(packet, opts)
    if (packet.data?.[0] === 'command') broadcastMs.push(performance.now() - t)
  }
  let cpuAt = process.cpuUsage()
  return {
    reset() {
      lag.reset()
      broadcastMs = []
      cpuAt = process.cpuUsage()
    },
    read(streamsOpen: number): Extract<FromServer, { type: 'lag' }> {
      const cpu = process.cpuUsage(cpuAt)
      return {
        type: 'lag',
        p50: lag.percentile(50) / 1e6,
        p99: lag.percentile(99) / 1e6,
        max: lag.max / 1e6,
        streamsOpen,
        cpuMs: (cpu.user + cpu.system) / 1000,
        broadcast: broadcastMs,
      }
    },
  }
}
