import http from 'node:http'
import type { FromLoad, ToLoad } from './shared'

// Range-stream load: N concurrent GETs of large byte ranges, read as fast as possible and
// repeated, so the server spends its time on media I/O while commands are measured. `pause`
// aborts every stream in flight (as seeking players do); `resume` starts them again.

const send = (m: FromLoad) => process.send?.(m)
let running = false
let bytes = 0
let requests = 0
let activeMs = 0
let resumedAt = 0
const inFlight = new Set<http.ClientRequest>()
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
let target: Extract<ToLoad, { type: 'start' }> | null = null

function loop() {
  if (!running || !target) return
  const { url, rangeBytes, fileSize } = target
  const slots = Math.max(1, Math.floor((fileSize - rangeBytes) / (1024 * 1024)))
  const start = Math.floor(Math.random() * slots) * 1024 * 1024
  const req = http.get(`${url}/media`, { agent, headers: { range: `bytes=${start}-${start + rangeBytes - 1}` } }, (res) => {
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    res.on('end', () => {
      inFlight.delete(req)
      requests++
      loop()
    })
    res.on('error', () => undefined)
  })
  inFlight.add(req)
  req.on('error', () => inFlight.delete(req))
}

function resume() {
  if (!target || running) return
  running = true
  resumedAt = performance.now()
  for (let i = 0; i < target.streams; i++) loop()
}

function pause() {
  if (!running) return
  running = false
  activeMs += performance.now() - resumedAt
  for (const req of inFlight) req.destroy()
  inFlight.clear()
}

process.on('message', (msg: ToLoad) => {
  if (msg.type === 'start') {
    target = msg
    resume()
    send({ type: 'running', streams: msg.streams })
  } else if (msg.type === 'pause') {
    pause()
    send({ type: 'paused' })
  } else if (msg.type === 'resume') {
    resume()
    send({ type: 'running', streams: target?.streams ?? 0 })
  } else if (msg.type === 'stop') {
    pause()
    send({ type: 'stats', bytes, requests, seconds: activeMs / 1000 })
    agent.destroy()
    setTimeout(() => process.exit(0), 100)
  }
})
process.on('disconnect', () => process.exit(0))
