import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { localContentStore } from '@/lib/content/store'
import { db, disconnectDb } from '@/lib/db'
import { runChild, stopChild } from '@/lib/launcher/children'
import { ingestClip } from './clips'

// Real worker processes (workers/transcoder.ts) and real FFmpeg against the test database.
// FFmpeg runs at the lowest CPU priority, so on a busy machine encodes take minutes: each test may
// run as long as its own waits add up to.
const TEST_TIMEOUT_MS = 300_000
const workers: ChildProcess[] = []
const startWorker = (env: Record<string, string> = {}) => {
  const w = runChild('worker', 'workers/transcoder.ts', { ...process.env, LOG_LEVEL: 'warn', ...env })
  workers.push(w)
  return w
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const v = await fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('transcode workers', () => {
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => stopChild(w)))
  })
  afterAll(disconnectDb)

  it(
    'finishes a session whose worker was SIGKILLed mid-encode, after the lease expires, with one set of renditions',
    async () => {
      const owner = await db.user.create({ data: { email: `crash-${Date.now()}@w.test`, passwordHash: 'x' } })
      const { sessionId, contentHash } = await ingestClip({ seconds: 24, size: '1280x720', tone: 300 }, owner.id)
      const first = startWorker({ WORKER_LEASE_MS: '3000' })
      await waitFor(
        async () => {
          const s = await db.transcodeSession.findUnique({ where: { id: sessionId! } })
          return s?.state === 'RUNNING' && s.segmentsReady > 0
        },
        60_000,
        'the first worker to produce segments',
      )
      const ffmpegPids = execFileSync('pgrep', ['-P', String(first.pid), 'ffmpeg'], { encoding: 'utf8' })
        .trim()
        .split('\n')
      expect(ffmpegPids.length).toBeGreaterThan(0)
      first.kill('SIGKILL')
      // Its FFmpeg dies with it (parent-death signal) instead of writing on as an orphan.
      await waitFor(async () => ffmpegPids.every((pid) => !alive(Number(pid))), 5_000, 'the orphaned FFmpeg to exit')
      const second = startWorker({ WORKER_LEASE_MS: '3000' })
      const done = await waitFor(
        async () => {
          const s = await db.transcodeSession.findUnique({ where: { id: sessionId! } })
          return s && ['STORED', 'FAILED'].includes(s.state) ? s : null
        },
        180_000,
        'the session to end',
      )
      expect(done.state, done.error ?? '').toBe('STORED')
      expect(done.attempt).toBe(2)
      expect(done.leaseOwner).toBeNull()
      const renditions = await db.rendition.findMany({ where: { contentHash } })
      expect(new Set(renditions.map((r) => r.name)).size).toBe(renditions.length)
      const dir = localContentStore().filePath(contentHash, '')
      const entries = await readdir(dir)
      expect(entries).not.toContain('.partial')
      expect(entries.filter((e) => e === 'master.m3u8')).toHaveLength(1)
      expect(second.exitCode).toBeNull()
    },
    TEST_TIMEOUT_MS,
  )

  it(
    'shares 20 sessions between two workers without processing any twice',
    async () => {
      const owner = await db.user.create({ data: { email: `pair-${Date.now()}@w.test`, passwordHash: 'x' } })
      const ids: string[] = []
      for (let i = 0; i < 20; i++) ids.push((await ingestClip({ seconds: 1, size: '160x90', tone: 500 + i }, owner.id)).sessionId!)
      startWorker()
      startWorker()
      await waitFor(
        async () => (await db.transcodeSession.count({ where: { id: { in: ids }, state: { in: ['STORED', 'FAILED'] } } })) === 20,
        240_000,
        'all 20 sessions',
      )
      const sessions = await db.transcodeSession.findMany({ where: { id: { in: ids } } })
      expect(sessions.every((s) => s.state === 'STORED')).toBe(true)
      const starts = await db.sessionEvent.findMany({ where: { sessionId: { in: ids }, type: 'SessionStarted' } })
      expect(starts).toHaveLength(20)
      const byWorker = new Set(starts.map((e) => (e.data as { worker: string }).worker))
      expect(byWorker.size).toBe(2)
    },
    TEST_TIMEOUT_MS,
  )
})
