import http from 'node:http'
import type { AddressInfo } from 'node:net'

// A real loopback HTTP server that answers byte ranges of in-memory files, with knobs the
// chunk-layer tests need: per-request delay, a number of failures before success, requests
// that never answer, servers that ignore Range. It records what it saw.

export interface SeenRequest {
  path: string
  range: string | null
  start: number | null
  at: number
}

export interface RangeServer {
  url: string
  files: Map<string, Buffer>
  seen: SeenRequest[]
  /** Requests being answered right now, and the most at once. */
  active: number
  peak: number
  /** Requests whose client went away before the response ended. */
  aborted: number
  close(): Promise<void>
}

const RANGE_RE = /^bytes=(\d+)-(\d*)$/

export async function startRangeServer(files: Record<string, Buffer> = {}): Promise<RangeServer> {
  const failures = new Map<string, number>()
  const state: RangeServer = {
    url: '',
    files: new Map(Object.entries(files)),
    seen: [],
    active: 0,
    peak: 0,
    aborted: 0,
    close: async () => {},
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const range = req.headers.range ?? null
    const m = range ? RANGE_RE.exec(range) : null
    state.seen.push({ path: url.pathname, range, start: m ? Number(m[1]) : null, at: performance.now() })
    state.active++
    state.peak = Math.max(state.peak, state.active)
    let done = false
    const finish = () => {
      if (done) return
      done = true
      state.active--
    }
    res.on('close', () => {
      if (!res.writableFinished) state.aborted++
      finish()
    })
    const delay = Number(url.searchParams.get('delay') ?? 0)
    const fail = Number(url.searchParams.get('fail') ?? 0)
    const status = Number(url.searchParams.get('status') ?? 503)
    const respond = () => {
      if (url.searchParams.has('hang')) return
      const key = `${url.pathname}?${url.searchParams.get('key') ?? ''}:${range}`
      const failed = failures.get(key) ?? 0
      if (failed < fail) {
        failures.set(key, failed + 1)
        res.writeHead(status, { 'content-type': 'text/plain' })
        return res.end('nope')
      }
      const file = state.files.get(url.pathname)
      if (!file) {
        res.writeHead(404)
        return res.end()
      }
      const headers = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes' }
      if (!m || url.searchParams.has('norange')) {
        res.writeHead(200, { ...headers, 'content-length': file.length })
        return res.end(req.method === 'HEAD' ? undefined : file)
      }
      const start = Number(m[1])
      const end = Math.min(file.length - 1, m[2] ? Number(m[2]) : file.length - 1)
      if (start >= file.length) {
        res.writeHead(416, { 'content-range': `bytes */${file.length}` })
        return res.end()
      }
      res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${file.length}` })
      res.end(req.method === 'HEAD' ? undefined : file.subarray(start, end + 1))
    }
    if (delay > 0) setTimeout(respond, delay)
    else respond()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}

/** Bytes whose value depends on their offset, so a misplaced byte shows. */
export function patterned(size: number): Buffer {
  const b = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >>> 8)) & 0xff
  return b
}
