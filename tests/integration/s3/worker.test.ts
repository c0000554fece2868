import { type ChildProcess, execFile, execFileSync } from 'node:child_process'
import { createReadStream, existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { contentDir } from '@/lib/content/paths'
import { readStoredFile, tempDir, writeHashed } from '@/lib/content/store'
import { s3ContentStore } from '@/lib/content/store/s3'
import { db, disconnectDb } from '@/lib/db'
import { runChild, stopChild } from '@/lib/launcher/children'
import { parseHlsMaster, parseHlsMediaPlaylist } from '@/lib/pipeline/manifests'
import { ingestUpload } from '@/lib/videos/ingest'
import { request, startServer, type TestServer } from '../../unit/streaming/helpers'

// A real worker process with CONTENT_STORE=s3 and a data directory of its own: it reads the
// original from the bucket, puts segments and growing playlists there while it encodes, and the
// finished content plays from the bucket through a node that has none of it on disk.
const run = promisify(execFile)
const bucket = () => s3ContentStore(inject('s3'))
const TEST_TIMEOUT_MS = 300_000

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const v = await fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, stepMs))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('a worker on the S3 store', () => {
  let worker: ChildProcess | undefined
  let server: TestServer | undefined
  const dirs: string[] = []
  afterAll(async () => {
    if (worker) await stopChild(worker)
    await server?.close()
    for (const d of dirs) await rm(d, { recursive: true, force: true })
    await disconnectDb()
  })

  it(
    'encodes from the bucket into the bucket: growing playlists play during the encode, the stored content after, nothing on either disk',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rh-s3-clip-'))
      dirs.push(dir)
      const clip = path.join(dir, 'clip.mp4')
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'],
        ...['-t', '24', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
      ])
      const temp = path.join(tempDir(), `s3-worker-${Date.now()}`)
      const { hash, size } = await writeHashed(createReadStream(clip), temp)
      const owner = await db.user.create({ data: { email: `s3-worker-${Date.now()}@w.test`, passwordHash: 'x' } })
      const { sessionId } = await ingestUpload({ ownerId: owner.id, tempPath: temp, hash, size, metadata: { title: 's3', visibility: 'PUBLIC' } })

      const store = bucket()
      const nodeDir = await mkdtemp(path.join(os.tmpdir(), 'rh-s3-node-'))
      const workerDir = await mkdtemp(path.join(os.tmpdir(), 'rh-s3-workerdir-'))
      dirs.push(nodeDir, workerDir)
      server = await startServer({ authorize: async () => 'public', store, dataDir: nodeDir, describeOriginal: async () => ({ type: 'video/mp4' }) })
      const url = (rel: string) => `${server!.url}/api/v1/content/${hash}/${rel}`
      worker = runChild('worker', 'workers/transcoder.ts', { ...process.env, DATA_DIR: workerDir, LOG_LEVEL: 'warn' })

      // While it runs: the growing playlists come from the bucket, never cached, and list only segments the bucket has.
      const liveMaster = await waitFor(
        async () => {
          const r = await request(url('.partial/master.m3u8'))
          return r.status === 200 ? r : null
        },
        120_000,
        'the growing master playlist',
      )
      expect(liveMaster.headers['cache-control']).toBe('no-cache')
      const session = await db.transcodeSession.findUniqueOrThrow({ where: { id: sessionId! } })
      expect(session.state).toBe('RUNNING')
      const variant = parseHlsMaster(liveMaster.body.toString()).variants[0].uri
      const media = await request(url(`.partial/${variant}`))
      expect(media.status).toBe(200)
      const listed = parseHlsMediaPlaylist(media.body.toString())
      expect(listed.ended).toBe(false)
      expect(listed.segments.length).toBeGreaterThan(0)
      const first = await request(url(`.partial/${listed.segments[0].uri}`))
      expect(first.status).toBe(200)
      expect(first.body.equals((await readStoredFile(store, hash, listed.segments[0].uri))!)).toBe(true)

      const done = await waitFor(
        async () => {
          const s = await db.transcodeSession.findUnique({ where: { id: sessionId! } })
          return s && ['STORED', 'FAILED'].includes(s.state) ? s : null
        },
        240_000,
        'the session to end',
        250,
      )
      expect(done.state, done.error ?? '').toBe('STORED')

      const names = (await store.list(hash)).map((e) => e.relPath)
      expect(names).toEqual(expect.arrayContaining(['original', 'master.m3u8', 'manifest.mpd', 'thumbs/poster.jpg', 'logs/ffmpeg.log']))
      expect(names.filter((n) => n.startsWith('.'))).toEqual([])
      for (const r of await db.rendition.findMany({ where: { contentHash: hash } })) {
        expect(names.filter((n) => n.startsWith(`streams/`) && n.endsWith('.m4s')).length).toBeGreaterThanOrEqual(r.segments)
      }
      // Nothing of it on the uploader's, the worker's or the serving node's disk.
      for (const d of [process.env.DATA_DIR!, workerDir, nodeDir]) expect(existsSync(contentDir(hash, d)), d).toBe(false)
      expect(await readdir(path.join(workerDir, 'work')).catch(() => [])).toEqual([])

      // A player still on the growing playlist is answered from the final one.
      const after = await request(url(`.partial/${variant}`))
      expect(after.status).toBe(200)
      expect(parseHlsMediaPlaylist(after.body.toString()).ended).toBe(true)

      // HLS and DASH decode from the bucket through the node.
      for (const manifest of ['master.m3u8', 'manifest.mpd']) {
        const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', url(manifest), '-map', '0:v:0', '-map', '0:a:0', '-f', 'null', '-'], {
          timeout: 120_000,
        })
        expect(stderr.trim(), manifest).toBe('')
      }
    },
    TEST_TIMEOUT_MS,
  )
})
