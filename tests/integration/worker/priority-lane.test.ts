import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { runChild, stopChild } from '@/lib/launcher/children'
import { ingestClip as ingestWorkerClip } from './clips'

// The priority lane with a real worker process, real FFmpeg and the real queue: a fresh upload
// pauses the running long encode (SIGSTOP), which keeps its lease throughout although the pause
// lasts several lease periods, is never taken over, and finishes once the new one is stored.

const LEASE_MS = 1_000
const workers: ChildProcess[] = []

async function ingestClip(opts: { seconds: number; size: string; tone: number }, ownerId: string) {
  const r = await ingestWorkerClip(opts, ownerId, 'lane')
  return { sessionId: r.sessionId!, contentHash: r.contentHash }
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

/** The worker's FFmpeg children encoding `hash`, with their scheduler state (T: stopped). */
function ffmpegOf(workerPid: number, hash: string): { pid: number; state: string }[] {
  let out = ''
  try {
    out = execFileSync('pgrep', ['-P', String(workerPid), 'ffmpeg'], { encoding: 'utf8' })
  } catch {
    return []
  }
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .flatMap((pid) => {
      try {
        const cmd = execFileSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' })
        if (!cmd.includes(hash)) return []
        return [{ pid, state: execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim() }]
      } catch {
        return []
      }
    })
}

describe('the priority lane', () => {
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => stopChild(w)))
  })
  afterAll(disconnectDb)

  it('pauses a long encode for a fresh upload, keeps its lease while paused, and finishes both', async () => {
    const owner = await db.user.create({ data: { email: `lane-${Date.now()}@w.test`, passwordHash: 'x' } })
    // One rung each (360p and below), so the test costs little on a busy machine.
    const long = await ingestClip({ seconds: 90, size: '640x360', tone: 310 }, owner.id)
    const worker = runChild('worker', 'workers/transcoder.ts', { ...process.env, LOG_LEVEL: 'warn', WORKER_LEASE_MS: String(LEASE_MS) })
    workers.push(worker)
    // The long one first gets its own start-up part (30 s of media) before anything may pause it.
    await waitFor(
      async () => {
        const s = await db.transcodeSession.findUnique({ where: { id: long.sessionId } })
        return s?.state === 'RUNNING' && s.progress * 90 >= 32
      },
      600_000,
      'the long encode past its start-up lead',
    )

    // Long enough (a minute of 180p) that its encode outlasts a few of the paused one's leases anywhere.
    const fresh = await ingestClip({ seconds: 60, size: '320x180', tone: 320 }, owner.id)
    const paused = await waitFor(
      async () => {
        const s = await db.transcodeSession.findUnique({ where: { id: long.sessionId } })
        return s?.pausedAt ? s : null
      },
      30_000,
      'the long encode to be paused',
    )
    expect(ffmpegOf(worker.pid!, long.contentHash).map((p) => p.state[0])).toEqual(['T'])

    // While it is paused, longer than several leases: still this worker's, lease in the future, not reclaimed.
    const checks: { expiresInMs: number; owner: string | null; attempt: number; state: string }[] = []
    const freshDone = await waitFor(
      async () => {
        const [s, f, now] = await Promise.all([
          db.transcodeSession.findUniqueOrThrow({ where: { id: long.sessionId } }),
          db.transcodeSession.findUniqueOrThrow({ where: { id: fresh.sessionId } }),
          db.$queryRaw<{ now: Date }[]>`SELECT now()`,
        ])
        if (s.pausedAt)
          checks.push({ expiresInMs: s.leaseExpiresAt!.getTime() - now[0].now.getTime(), owner: s.leaseOwner, attempt: s.attempt, state: s.state })
        return ['STORED', 'FAILED'].includes(f.state) ? f : null
      },
      300_000,
      'the fresh upload to be stored',
    )
    expect(freshDone.state, freshDone.error ?? '').toBe('STORED')
    const pausedFor = Date.now() - paused.pausedAt!.getTime()
    expect(pausedFor, 'the pause outlasted several leases').toBeGreaterThan(2 * LEASE_MS)
    expect(checks.length).toBeGreaterThan(0)
    for (const c of checks) {
      expect(c).toMatchObject({ owner: paused.leaseOwner, attempt: 1, state: 'RUNNING' })
      expect(c.expiresInMs).toBeGreaterThan(0)
    }

    // The paused encode goes on where it was and finishes in its first attempt.
    await waitFor(async () => ffmpegOf(worker.pid!, long.contentHash).some((p) => p.state[0] !== 'T'), 30_000, 'the long encode to continue')
    const longDone = await waitFor(
      async () => {
        const s = await db.transcodeSession.findUnique({ where: { id: long.sessionId } })
        return s && ['STORED', 'FAILED'].includes(s.state) ? s : null
      },
      600_000,
      'the long encode to be stored',
    )
    expect(longDone.state, longDone.error ?? '').toBe('STORED')
    expect(longDone.attempt).toBe(1)
    expect(longDone.pausedAt).toBeNull()
    const events = await db.sessionEvent.findMany({ where: { sessionId: long.sessionId }, orderBy: { id: 'asc' } })
    const types = events.map((e) => e.type)
    expect(types).toContain('SessionPaused')
    expect(types.indexOf('SessionResumed')).toBeGreaterThan(types.indexOf('SessionPaused'))
    expect(types.filter((t) => t === 'SessionStarted')).toHaveLength(1)
    expect(events.find((e) => e.type === 'SessionPaused')?.data).toMatchObject({ for: fresh.sessionId })
    // The hang check did not mistake the pause for a stall: FFmpeg ran to its end once.
    const log = await readFile(path.join(process.env.DATA_DIR!, 'content', long.contentHash.slice(0, 2), long.contentHash, 'logs', 'ffmpeg.log'), 'utf8')
    expect(log).toMatch(/^# exit 0/m)
  }, 1_500_000)
})
