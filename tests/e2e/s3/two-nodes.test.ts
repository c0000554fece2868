import { type ChildProcess, execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '@/lib/auth/api-keys'
import { createUser } from '@/lib/auth/users'
import { contentRoot } from '@/lib/content/paths'
import { db, disconnectDb } from '@/lib/db'
import { freePort } from '@/lib/db/embedded'
import { buildIfStale } from '@/lib/launcher/build'
import { runChild, stopChild } from '@/lib/launcher/children'
import { parseHlsMaster, parseHlsMediaPlaylist } from '@/lib/pipeline/manifests'

// Scale-out on one machine: two web nodes and two workers, each with its own DATA_DIR, sharing one
// PostgreSQL and one bucket (a real S3 server, Swift + s3api). An upload on node A is encoded by
// whichever worker claims it, survives that worker's death mid-encode, and plays through node B.
const run = promisify(execFile)
const TEST_TIMEOUT_MS = 480_000

interface Node {
  name: string
  dataDir: string
  child: ChildProcess
  base?: string
}

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string, stepMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const v = await fn().catch(() => null)
    if (v) return v
    await new Promise((r) => setTimeout(r, stepMs))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('two web nodes and two workers on one bucket', () => {
  const nodes: Node[] = []
  const dirs: string[] = []
  let env: NodeJS.ProcessEnv
  let clip: string

  const dataDir = async (name: string) => {
    const d = await mkdtemp(path.join(os.tmpdir(), `rh-2n-${name}-`))
    dirs.push(d)
    return d
  }
  const startWeb = async (name: string): Promise<Node> => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const node = { name, base, dataDir: await dataDir(name), child: undefined as unknown as ChildProcess }
    node.child = runChild('web', 'server.ts', { ...env, PORT: String(port), NEXTAUTH_URL: base, DATA_DIR: node.dataDir })
    nodes.push(node)
    return node
  }
  const startWorker = async (name: string): Promise<Node> => {
    const node = { name, dataDir: await dataDir(name), child: undefined as unknown as ChildProcess }
    node.child = runChild('worker', 'workers/transcoder.ts', { ...env, DATA_DIR: node.dataDir })
    nodes.push(node)
    return node
  }

  beforeAll(async () => {
    await buildIfStale()
    env = {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NEXTAUTH_SECRET: 'two-nodes-secret-two-nodes-secret',
      WORKER_LEASE_MS: '3000',
    }
    const dir = await dataDir('clip')
    clip = path.join(dir, 'clip.mp4')
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=330'],
      ...['-t', '24', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', clip],
    ])
  }, 900_000)

  afterAll(async () => {
    await Promise.all(nodes.map((n) => stopChild(n.child)))
    for (const d of dirs) await rm(d, { recursive: true, force: true })
    await disconnectDb()
  })

  it(
    'upload on A, a worker killed mid-encode, the other finishing, HLS/DASH and ranges through B, no content on any disk',
    async () => {
      const [a, b] = [await startWeb('a'), await startWeb('b')]
      for (const n of [a, b]) await waitFor(async () => (await fetch(`${n.base}/api/v1/health`)).ok, 120_000, `node ${n.name} to answer`)
      const user = await createUser({ email: `two-nodes-${Date.now()}@s3.test`, password: 'password-123' })
      const { key } = await createApiKey(user.id, { name: 'two nodes', scopes: ['read', 'write'] })
      const auth = { authorization: `Bearer ${key}` }

      const bytes = await readFile(clip)
      const form = new FormData()
      form.set('title', 'across nodes')
      form.set('visibility', 'public')
      form.set('file', new Blob([bytes], { type: 'video/mp4' }), 'clip.mp4')
      const created = await fetch(`${a.base}/api/v1/videos`, { method: 'POST', body: form, headers: auth })
      expect(created.status).toBe(201)
      const { id, contentHash } = (await created.json()) as { id: string; contentHash: string }

      // The first worker starts the encode and dies mid-way; its FFmpeg dies with it.
      const first = await startWorker('w1')
      await waitFor(
        async () => {
          const s = await db.transcodeSession.findFirst({ where: { contentHash } })
          return s?.state === 'RUNNING' && s.segmentsReady > 0
        },
        180_000,
        'the first worker to produce segments',
      )
      first.child.kill('SIGKILL')
      await startWorker('w2')
      await waitFor(
        async () => {
          const s = await db.transcodeSession.findFirst({ where: { contentHash } })
          return s?.state === 'RUNNING' && s.attempt === 2 && s.segmentsReady > 0
        },
        180_000,
        'the second worker to take over and produce segments',
      )

      // While the second worker encodes, B plays the growing playlists from the bucket.
      const live = await waitFor(
        async () => {
          const v = (await (await fetch(`${b.base}/api/v1/videos/${id}`, { headers: auth })).json()) as {
            status: string
            playback: { hls: string | null; live: boolean }
          }
          return v.status === 'processing' && v.playback.live && v.playback.hls ? v.playback.hls : null
        },
        180_000,
        'a growing playlist on B',
      )
      const liveMaster = await fetch(`${b.base}${live}`)
      expect(liveMaster.status).toBe(200)
      // Never reused without asking (a processing video is its owner's: private as well).
      expect(liveMaster.headers.get('cache-control')).toMatch(/(^|, )no-cache$/)

      const ready = await waitFor(
        async () => {
          const v = (await (await fetch(`${b.base}/api/v1/videos/${id}`, { headers: auth })).json()) as {
            status: string
            playback: { hls: string; dash: string; direct: string }
          }
          if (v.status === 'failed') throw new Error('the encode failed')
          return v.status === 'ready' ? v : null
        },
        300_000,
        'the video to be ready',
        500,
      )
      const sessions = await db.transcodeSession.findMany({ where: { contentHash } })
      expect(sessions).toHaveLength(1)
      expect(sessions[0]).toMatchObject({ state: 'STORED', attempt: 2 })

      // HLS and DASH decode through B; the master lists renditions whose playlists end.
      for (const manifest of [ready.playback.hls, ready.playback.dash]) {
        const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', `${b.base}${manifest}`, '-map', '0:v:0', '-map', '0:a:0', '-f', 'null', '-'], {
          timeout: 180_000,
        })
        expect(stderr.trim(), manifest).toBe('')
      }
      const master = parseHlsMaster(await (await fetch(`${b.base}${ready.playback.hls}`)).text())
      const variant = await (await fetch(new URL(master.variants[0].uri, `${b.base}${ready.playback.hls}`))).text()
      expect(parseHlsMediaPlaylist(variant).ended).toBe(true)

      // A ranged read of the original through B, byte for byte.
      const ranged = await fetch(`${b.base}${ready.playback.direct}`, { headers: { range: 'bytes=1000-65535' } })
      expect(ranged.status).toBe(206)
      expect(ranged.headers.get('content-range')).toBe(`bytes 1000-65535/${bytes.length}`)
      expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(1000, 65536))).toBe(true)

      // Nothing of it under any node's or worker's DATA_DIR/content; the live worker's scratch is gone.
      for (const n of nodes) expect(await readdir(contentRoot(n.dataDir)).catch(() => []), n.name).toEqual([])
      const second = nodes.find((n) => n.name === 'w2')!
      expect(await readdir(path.join(second.dataDir, 'work')).catch(() => [])).toEqual([])
      expect(existsSync(clip)).toBe(true)
    },
    TEST_TIMEOUT_MS,
  )
})
