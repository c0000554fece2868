import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { handleContentRequest } from '@/lib/streaming/http-server'
import { READ_PIECE_BYTES, readBufferStats } from '@/lib/streaming/pipe'

// The production path alone in its own process, so its RSS is measured without the load generator:
// `tsx bench/range/server.ts <dataDir> [pieceSize]` prints `listening <port>` and serves until stdin closes.
const [dataDir, pieceArg] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: server.ts <dataDir> [pieceSize]')
const pieceSize = pieceArg ? Number(pieceArg) : READ_PIECE_BYTES
const outcomes: Record<string, number> = {}

const server = http.createServer((req, res) => {
  handleContentRequest(req, res, {
    dataDir,
    pieceSize,
    authorize: async () => 'public',
    onDone: (outcome) => {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
    },
  }).then((handled) => {
    if (!handled) {
      res.statusCode = 404
      res.end()
    }
  })
})

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})

// How late the event loop runs under streaming load: what a socket.io command would wait on this process.
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()

// Peaks since the last `stats`, to tell where the RSS goes: V8 heap, buffers, read pieces lent out.
const peak = { heapUsed: 0, heapTotal: 0, arrayBuffers: 0, lentBytes: 0, idleBytes: 0 }
setInterval(() => {
  const m = process.memoryUsage()
  const pool = readBufferStats()
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed)
  peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal)
  peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers)
  peak.lentBytes = Math.max(peak.lentBytes, pool.lentBytes)
  peak.idleBytes = Math.max(peak.idleBytes, pool.idleBytes)
}, 100).unref()

// `stats` on stdin answers the tally of finished responses and the loop delay since the last `stats`.
process.stdin.setEncoding('utf8')
process.stdin.on('data', (line: string) => {
  if (line.trim() !== 'stats') return
  const ms = (ns: number) => Math.round(ns / 1e4) / 100
  const loop = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) }
  loopDelay.reset()
  const memory = Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round((v / 2 ** 20) * 10) / 10]))
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = 0
  process.stdout.write(`stats ${JSON.stringify({ outcomes, loop, memory })}\n`)
})
process.stdin.on('end', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
