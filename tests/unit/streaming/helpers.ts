import { readdirSync, readlinkSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { contentDir } from '@/lib/content/paths'
import { type ContentRequestOptions, handleContentRequest } from '@/lib/streaming/http-server'

export const PUBLIC_HASH = 'ab'.repeat(32)
export const PRIVATE_HASH = 'cd'.repeat(32)

/** Bytes whose value depends on their offset, so any misplaced byte shows. */
export function patterned(size: number, seed = 0): Buffer {
  const buf = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) buf[i] = (i * 31 + seed + (i >>> 8)) & 0xff
  return buf
}

export interface ContentStore {
  dataDir: string
  /** Writes `bytes` at `relPath` of the content and returns them. */
  put(hash: string, relPath: string, bytes: Buffer): Promise<Buffer>
  remove(): Promise<void>
}

export async function makeContentStore(): Promise<ContentStore> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-streaming-'))
  return {
    dataDir,
    async put(hash, relPath, bytes) {
      const file = path.join(contentDir(hash, dataDir), relPath)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, bytes)
      return bytes
    },
    remove: () => rm(dataDir, { recursive: true, force: true }),
  }
}

export interface TestServer {
  url: string
  port: number
  close(): Promise<void>
}

/** A real loopback server: content-file URLs go to `handleContentRequest`, anything else gets 418. */
export async function startServer(options: ContentRequestOptions): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    handleContentRequest(req, res, options).then((handled) => {
      if (!handled) {
        res.writeHead(418, { 'Content-Type': 'text/plain' })
        res.end('not a content file')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

/**
 * One request on its own connection (no keep-alive), body collected whole. The path is sent exactly as
 * given: a WHATWG URL would resolve `..` and turn `\` into `/` before our server could refuse them.
 */
export function request(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const m = /^http:\/\/([^/:]+):(\d+)(\/.*)$/.exec(url)
  if (!m) throw new Error(`not a loopback test URL: ${url}`)
  const target = { host: m[1], port: Number(m[2]), path: m[3] }
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Open descriptors of this process, and how many of them point into `dir`. */
export function openDescriptors(dir?: string): { total: number; inside: number } {
  let inside = 0
  const fds = readdirSync('/proc/self/fd')
  if (dir !== undefined) {
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) inside++
      } catch {
        // the descriptor closed between listing and reading it
      }
    }
  }
  return { total: fds.length, inside }
}

export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, stepMs))
  }
  return check()
}
