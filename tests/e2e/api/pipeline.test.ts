import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, makeMp4, sessionsFor, uploadMultipart, userWithKey, waitForStatus } from './client'

const run = promisify(execFile)

interface ReadyVideo {
  status: string
  error?: string
  durationMs: number
  contentHash: string
  renditions: { kind: string; height: number }[]
  playback: { hls: string; dash: string }
}

/** Decodes a stream URL from start to end with FFmpeg; returns the decoded duration in seconds. */
async function decode(url: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-stats', '-i', url, '-f', 'null', '-'], { maxBuffer: 1 << 24 })
  expect(stderr).not.toMatch(/error/i)
  const times = [...stderr.matchAll(/time=(\d+):(\d+):([\d.]+)/g)]
  const [, h, m, s] = times.at(-1)!
  return Number(h) * 3600 + Number(m) * 60 + Number(s)
}

describe('pipeline through the running server', () => {
  afterAll(disconnectDb)

  it('turns an upload into HLS and DASH that decode over HTTP for the whole duration, rungs never above the source', async () => {
    const { auth } = await userWithKey()
    const clip = makeMp4('ladder.mp4', { seconds: 6, size: '854x480', seed: 11 })
    const created = await (await uploadMultipart(clip, { title: 'Ladder', visibility: 'public' }, auth)).json()
    expect(created.status).toBe('processing')
    const ready = (await waitForStatus(created.id, auth, ['ready', 'failed'])) as unknown as ReadyVideo
    expect(ready.status, ready.error).toBe('ready')
    expect(ready.durationMs).toBeGreaterThan(5500)
    const videoRungs = ready.renditions.filter((r) => r.kind === 'video')
    expect(videoRungs.length).toBeGreaterThanOrEqual(2)
    for (const r of videoRungs) expect(r.height).toBeLessThanOrEqual(480)

    for (const url of [ready.playback.hls, ready.playback.dash]) {
      const seconds = await decode(`${base()}${url}`)
      expect(seconds).toBeGreaterThan(5.5)
    }
    const info = await (await fetch(`${base()}/api/v1/content/${ready.contentHash}/info`, { headers: auth })).json()
    expect(info.state).toBe('STORED')
    expect(info.renditions.length).toBe(ready.renditions.length)
    const [session] = await sessionsFor(ready.contentHash)
    expect(session.state).toBe('STORED')
    const events = await db.sessionEvent.findMany({ where: { sessionId: session.id }, orderBy: { id: 'asc' } })
    const types = events.map((e) => e.type)
    for (const t of ['SessionQueued', 'SessionStarted', 'SegmentReady', 'TranscodeCompleted', 'SessionStored']) expect(types).toContain(t)

    const status = await (await fetch(`${base()}/api/v1/sessions/${session.id}/status`, { headers: auth })).json()
    expect(status.state).toBe('STORED')
    const health = await (await fetch(`${base()}/api/v1/sessions/${session.id}/health`, { headers: auth })).json()
    expect(health.segmentsReady).toBeGreaterThan(0)
    expect(health.encodeSpeed).toBeGreaterThan(0)
    const logs = await (await fetch(`${base()}/api/v1/sessions/${session.id}/logs`, { headers: auth })).text()
    expect(logs).toContain('ffmpeg')
  })

  it('fails a hostile file with a reason and keeps serving everything else', async () => {
    const { auth } = await userWithKey()
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rh-hostile-'))
    const junk = path.join(dir, 'random.mp4')
    await writeFile(junk, randomBytes(200_000))
    const created = await (await uploadMultipart(junk, { title: 'Junk' }, auth)).json()
    const failed = await waitForStatus(created.id, auth, ['failed', 'ready'])
    expect(failed.status).toBe('failed')
    expect(String(failed.error).length).toBeGreaterThan(5)
    const health = await fetch(`${base()}/api/v1/health`)
    expect((await health.json()).workers.length).toBe(1)
  })
})
