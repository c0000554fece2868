import { execFile } from 'node:child_process'
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'

const run = promisify(execFile)
const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }

/** Aggregate MiB/s that `connections` wrk clients pull from `url` (wrk counts every byte read, even mid-response). */
export async function wrkMiBps(url: string, connections: number, seconds: number): Promise<number> {
  const { stdout } = await run('/usr/bin/wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--timeout', '60s', url], {
    timeout: (seconds + 30) * 1000,
  })
  const m = /Transfer\/sec:\s+([\d.]+)([KMGT]?B)/.exec(stdout)
  if (!m) throw new Error(`unexpected wrk output:\n${stdout}`)
  return (Number(m[1]) * UNITS[m[2]]) / 1024 ** 2
}

export interface ThrottledLoadResult {
  requests: number
  completed: number
  /** Requests that ended in an error (cut by the server, a reset), not counting our own stop, by code. */
  errors: number
  errorCodes: Record<string, number>
  bytes: number
}

export interface ThrottledLoadOptions {
  port: number
  path: string
  fileSize: number
  clients: number
  bytesPerSecond: number
  rangeBytes: number
  durationMs: number
}

/** `clients` viewers, each reading random ranges one after another no faster than `bytesPerSecond`. */
export async function throttledRanges(o: ThrottledLoadOptions): Promise<ThrottledLoadResult> {
  const result: ThrottledLoadResult = { requests: 0, completed: 0, errors: 0, errorCodes: {}, bytes: 0 }
  const deadline = Date.now() + o.durationMs
  const live = new Set<http.ClientRequest>()
  const timers = new Set<NodeJS.Timeout>()
  let stopping = false

  const oneRange = (agent: http.Agent) =>
    new Promise<void>((resolve) => {
      const start = Math.floor(Math.random() * (o.fileSize - o.rangeBytes))
      result.requests++
      const req = http.get(
        { host: '127.0.0.1', port: o.port, path: o.path, agent, headers: { Range: `bytes=${start}-${start + o.rangeBytes - 1}` } },
        (res) => {
          const began = Date.now()
          let got = 0
          res.on('data', (chunk: Buffer) => {
            got += chunk.length
            result.bytes += chunk.length
            const aheadMs = (got / o.bytesPerSecond) * 1000 - (Date.now() - began)
            if (aheadMs > 0 && !stopping) {
              res.pause()
              const t = setTimeout(() => {
                timers.delete(t)
                res.resume()
              }, aheadMs)
              timers.add(t)
            }
          })
          res.on('end', () => {
            result.completed++
          })
        },
      )
      live.add(req)
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (stopping) return
        result.errors++
        const code = err.code ?? err.message
        result.errorCodes[code] = (result.errorCodes[code] ?? 0) + 1
      })
      req.on('close', () => {
        live.delete(req)
        resolve()
      })
    })

  const viewer = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    while (!stopping && Date.now() < deadline) await oneRange(agent)
    agent.destroy()
  }

  const stop = setTimeout(() => {
    stopping = true
    for (const t of timers) clearTimeout(t)
    for (const req of live) req.destroy()
  }, o.durationMs)
  await Promise.all(Array.from({ length: o.clients }, viewer))
  clearTimeout(stop)
  return result
}

/** Milliseconds from sending a request to its first body byte, one request at a time on a kept-alive connection. */
export async function ttfbSamples(port: number, path: string, range: string, count: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    samples.push(
      await new Promise<number>((resolve, reject) => {
        const t0 = performance.now()
        let first: number | undefined
        const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { Range: range } }, (res) => {
          if (res.statusCode !== 206) reject(new Error(`expected 206, got ${res.statusCode}`))
          res.on('data', () => {
            first ??= performance.now() - t0
          })
          res.on('end', () => resolve(first ?? performance.now() - t0))
        })
        req.on('error', reject)
      }),
    )
  }
  agent.destroy()
  return samples
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export function median(values: number[]): number {
  return percentile(values, 50)
}
