import { fork } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream'
import { Server } from 'socket.io'
import type { Actor } from '@/lib/auth/actor'
import { forwardUpgrades } from '@/lib/realtime/handoff'
import { lowerOwnPriority } from '@/lib/web/process-priority'
import { attachRealtime, realtimeServerOptions } from '@/lib/realtime/server'
import { probeRealtime } from './probe'
import type { FromServer, ToServer } from './shared'

// The web process under test: one http server carrying socket.io (attachRealtime) and plain
// range streaming of a large file with 1 MiB reads, as the media routes will.

const file = process.env.BENCH_FILE!
const actors = new Map<string, Actor>(JSON.parse(process.env.BENCH_ACTORS!) as [string, Actor][])
const READ_SIZE = Number(process.env.BENCH_READ_SIZE ?? 1024 * 1024)
const send = (m: FromServer) => process.send?.(m)

let streamsOpen = 0

async function serveRange(req: http.IncomingMessage, res: http.ServerResponse, size: number) {
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
  const start = m ? Number(m[1]) : 0
  const end = m?.[2] ? Math.min(Number(m[2]), size - 1) : size - 1
  if (start > end || start >= size) {
    res.writeHead(416, { 'content-range': `bytes */${size}` }).end()
    return
  }
  res.writeHead(m ? 206 : 200, {
    'accept-ranges': 'bytes',
    'content-type': 'application/octet-stream',
    'content-length': end - start + 1,
    ...(m ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  })
  streamsOpen++
  const done = () => {
    streamsOpen--
  }
  // pipeline respects backpressure and closes the file when the client goes away.
  const source = createReadStream(file, { start, end, highWaterMark: READ_SIZE })
  pipeline(source, res, done)
}

async function main() {
  const { size } = await stat(file)
  const httpServer = http.createServer((req, res) => {
    if (req.url?.startsWith('/media')) return void serveRange(req, res, size)
    res.writeHead(404).end()
  })
  // Either socket.io shares this process (and its event loop) with the range streams, or it runs
  // in a child that the WebSocket upgrades are handed to (BENCH_ISOLATE=1).
  type Lag = Extract<FromServer, { type: 'lag' }>
  let probe: { reset(): void; read(): Promise<Lag> }
  let stopRealtime: () => void
  if (process.env.BENCH_ISOLATE === '1') {
    const rt = fork(new URL('./realtime-child.ts', import.meta.url), [], {
      execArgv: process.execArgv.filter((a) => !a.startsWith('--cpu-prof')),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    await new Promise<void>((resolve) => rt.once('message', () => resolve()))
    forwardUpgrades(httpServer, rt)
    // As lib/web/start.ts does: media yields the CPU to the realtime process.
    lowerOwnPriority(Number(process.env.BENCH_MEDIA_NICE ?? 0))
    let cpuAt = process.cpuUsage()
    probe = {
      reset: () => {
        cpuAt = process.cpuUsage()
        rt.send({ type: 'lag.reset' })
      },
      read: async () => {
        const child = await new Promise<Lag>((resolve) => {
          rt.once('message', (m: Lag) => resolve(m))
          rt.send({ type: 'lag.read' })
        })
        const cpu = process.cpuUsage(cpuAt)
        // Loop figures are the realtime process's; CPU adds up both processes.
        return { ...child, streamsOpen, cpuMs: child.cpuMs + (cpu.user + cpu.system) / 1000 }
      },
    }
    stopRealtime = () => rt.send({ type: 'stop' })
  } else {
    const io = new Server(httpServer, realtimeServerOptions)
    const realtime = await attachRealtime(io, {
      authenticate: async (handshake) => actors.get(String(handshake.auth?.token ?? '')) ?? null,
    })
    const local = probeRealtime(io)
    probe = { reset: local.reset, read: async () => local.read(streamsOpen) }
    stopRealtime = () => void realtime.close()
  }

  process.on('message', (msg: ToServer) => {
    if (msg.type === 'lag.reset') probe.reset()
    else if (msg.type === 'lag.read') probe.read().then(send)
    else if (msg.type === 'stop') {
      stopRealtime()
      setTimeout(() => process.exit(0), 200)
    }
  })
  process.on('disconnect', () => process.exit(0))
  httpServer.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (httpServer.address() as AddressInfo).port }))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
