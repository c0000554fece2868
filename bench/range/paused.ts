import { readFile } from 'node:fs/promises'
import http from 'node:http'
import { rssBytes } from './processes'

// Viewers the way browsers read: half steady at the bitrate, half playing for a while and then
// pausing (a full media buffer, or the user's pause button), each on its own range of one file.

export interface PausedViewersOptions {
  port: number
  path: string
  fileSize: number
  clients: number
  rangeBytes: number
  bytesPerSecond: number
  /** A pausing viewer reads this long at the rate, then reads nothing for `pauseMs`. */
  playMs: number
  pauseMs: number
  /** Processes whose RSS (with their children) is the server's memory. */
  serverPid: number
}

export interface PausedViewersResult {
  completed: number
  /** Responses that ended before their last byte (reset, closed early), by error code. */
  cutOff: number
  cutCodes: Record<string, number>
  rssBefore: number
  rssPeak: number
  seconds: number
}

/** RSS of a process and all its descendants (nginx: master and workers). */
export async function treeRssBytes(pid: number): Promise<number> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')
  const own = await rssBytes(pid).catch(() => 0)
  const kids = await Promise.all(
    children
      .split(/\s+/)
      .filter(Boolean)
      .map((c) => treeRssBytes(Number(c))),
  )
  return kids.reduce((a, b) => a + b, own)
}

function oneViewer(o: PausedViewersOptions, index: number, pausing: boolean): Promise<{ ok: boolean; code?: string }> {
  const stride = Math.floor((o.fileSize - o.rangeBytes) / o.clients)
  const start = index * stride
  const end = start + o.rangeBytes - 1
  return new Promise((resolve) => {
    let settled = false
    const done = (ok: boolean, code?: string) => {
      if (settled) return
      settled = true
      resolve({ ok, code })
    }
    const req = http.get({ host: '127.0.0.1', port: o.port, path: o.path, agent: false, headers: { Range: `bytes=${start}-${end}` } }, (res) => {
      if (res.statusCode !== 206) {
        res.resume()
        return done(false, `HTTP ${res.statusCode}`)
      }
      // Media time played so far: a viewer reads no faster than `bytesPerSecond` of it.
      let playedBefore = 0
      let playStart = Date.now()
      let pauses = 0
      let got = 0
      res.on('data', (chunk: Buffer) => {
        got += chunk.length
        const played = playedBefore + (Date.now() - playStart)
        if (pausing && played >= (pauses + 1) * o.playMs) {
          pauses++
          playedBefore = played
          res.pause()
          setTimeout(() => {
            playStart = Date.now()
            res.resume()
          }, o.pauseMs)
          return
        }
        const aheadMs = (got / o.bytesPerSecond) * 1000 - played
        if (aheadMs > 0) {
          res.pause()
          setTimeout(() => res.resume(), Math.min(200, aheadMs))
        }
      })
      // The socket may close while this paused viewer still has the last bytes to read: the verdict
      // waits for the response's own end (or its abort).
      res.on('end', () => done(got === o.rangeBytes, got === o.rangeBytes ? undefined : 'short body'))
      res.on('error', (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message))
      res.on('close', () => done(false, res.complete ? 'closed unread' : 'aborted'))
    })
    req.on('error', (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message))
  })
}

/** Runs `clients` viewers once to the end of their range and reports who was cut off and the server's RSS. */
export async function pausedViewers(o: PausedViewersOptions): Promise<PausedViewersResult> {
  const rssBefore = await treeRssBytes(o.serverPid)
  let rssPeak = rssBefore
  const sampler = setInterval(async () => {
    rssPeak = Math.max(rssPeak, await treeRssBytes(o.serverPid))
  }, 200)
  const began = Date.now()
  const results = await Promise.all(Array.from({ length: o.clients }, (_, i) => oneViewer(o, i, i % 2 === 1)))
  clearInterval(sampler)
  rssPeak = Math.max(rssPeak, await treeRssBytes(o.serverPid))
  const cutCodes: Record<string, number> = {}
  for (const r of results) if (!r.ok && r.code) cutCodes[r.code] = (cutCodes[r.code] ?? 0) + 1
  return {
    completed: results.filter((r) => r.ok).length,
    cutOff: results.filter((r) => !r.ok).length,
    cutCodes,
    rssBefore,
    rssPeak,
    seconds: (Date.now() - began) / 1000,
  }
}
