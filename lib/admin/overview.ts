import { statfs } from 'node:fs/promises'
import { z } from 'zod'
import { env } from '@/lib/config/env'
import { db } from '@/lib/db'
import { bytesServedPerSecond, metricsState, socketClients } from '@/lib/metrics/state'
import { SESSION_POLICY } from '@/lib/queue/policy'
import { LEASED_STATES, SESSION_STATES } from '@/lib/sessions/states'
import { getRealtime } from '@/lib/realtime/server'
import { ALERT_THRESHOLDS, alertSchema, computeAlerts } from './alerts'

// The health monitor: one snapshot of the pipeline, workers, delivery and players,
// polled by the dashboard every few seconds and pushed on pipeline events.

export const workerView = z
  .object({
    id: z.string(),
    host: z.string(),
    pid: z.int(),
    cpu: z.number().meta({ description: 'Percent of one core (worker process plus FFmpeg).' }),
    rssBytes: z.int(),
    currentSessionId: z.string().nullable(),
    breakerOpen: z.boolean(),
    breakerReason: z.string().nullable(),
    startedAt: z.iso.datetime(),
    heartbeatAt: z.iso.datetime(),
    live: z.boolean(),
  })
  .meta({ id: 'Worker' })
export type WorkerView = z.infer<typeof workerView>

const playerSummary = z.object({
  socketId: z.string(),
  email: z.string(),
  videoId: z.string().nullable(),
  source: z.string().nullable(),
  playing: z.boolean(),
  positionMs: z.number().nullable(),
  bufferedAheadMs: z.number().nullable(),
  reportedAt: z.number().nullable(),
})

export const overviewSchema = z
  .object({
    at: z.iso.datetime(),
    encode: z.object({
      running: z.int(),
      speedSum: z.number().meta({ description: 'Sum of encode speeds of running sessions (×realtime).' }),
      speedMean: z.number().nullable(),
    }),
    segments: z.object({ ready: z.int(), total: z.int() }),
    queue: z.object({
      byState: z.record(z.string(), z.int()),
      ready: z.int().meta({ description: 'Queued and due now.' }),
      delayed: z.int().meta({ description: 'Queued, waiting for a retry backoff.' }),
    }),
    active: z.array(
      z.object({
        id: z.string(),
        state: z.string(),
        title: z.string().nullable(),
        worker: z.string().nullable(),
        progress: z.number(),
        encodeSpeed: z.number().nullable(),
        segmentsReady: z.int(),
        segmentsTotal: z.int(),
        lastActivityAt: z.iso.datetime(),
      }),
    ),
    workers: z.array(workerView),
    delivery: z.object({ bytesServedTotal: z.number(), bytesPerSecond: z.number() }),
    players: z.object({
      connected: z.int(),
      reporting: z.int(),
      starving: z.int().meta({ description: 'Playing with less than 2 s buffered ahead.' }),
      meanBufferAheadMs: z.number().nullable(),
      list: z.array(playerSummary),
    }),
    sockets: z.record(z.string(), z.int()),
    disk: z
      .object({
        freeBytes: z.number().meta({ description: 'Available to the app (what df calls Avail).' }),
        usedBytes: z.number(),
        totalBytes: z.number().meta({ description: 'Size of the file system, blocks reserved for root included.' }),
      })
      .nullable(),
    failures: z.object({ recent: z.int(), baseline: z.int() }),
    throughput: z
      .array(z.object({ start: z.iso.datetime(), stored: z.int(), failed: z.int() }))
      .meta({ description: 'Sessions finished per 5-minute bucket over the last hour, oldest first.' }),
    alerts: z.array(alertSchema),
  })
  .meta({ id: 'AdminOverview' })
export type Overview = z.infer<typeof overviewSchema>

const STARVING_MS = 2000
const BUCKET_MS = 5 * 60_000
const BUCKETS = 12

export function workerToView(w: Awaited<ReturnType<typeof db.worker.findMany>>[number], now = Date.now()): WorkerView {
  return {
    id: w.id,
    host: w.host,
    pid: w.pid,
    cpu: w.cpu,
    rssBytes: Number(w.rss),
    currentSessionId: w.currentSessionId,
    breakerOpen: w.breakerOpen,
    breakerReason: w.breakerReason,
    startedAt: w.startedAt.toISOString(),
    heartbeatAt: w.heartbeatAt.toISOString(),
    live: now - w.heartbeatAt.getTime() < SESSION_POLICY.workerLiveMs,
  }
}

/** Every registered worker, live ones first. */
export async function listWorkers(): Promise<WorkerView[]> {
  const now = Date.now()
  const rows = await db.worker.findMany({ orderBy: { startedAt: 'asc' } })
  return rows.map((w) => workerToView(w, now)).sort((a, b) => Number(b.live) - Number(a.live))
}

async function disk(): Promise<{ freeBytes: number; usedBytes: number; totalBytes: number } | null> {
  try {
    const s = await statfs(env().dataDir)
    return { freeBytes: s.bavail * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize, totalBytes: s.blocks * s.bsize }
  } catch {
    return null
  }
}

async function players() {
  const list =
    (await getRealtime()
      ?.listPlayers()
      .catch(() => [])) ?? []
  const now = Date.now()
  const reports = list.map((p) => p.presence).filter((p): p is NonNullable<typeof p> => !!p && now - p.receivedAt < 30_000)
  return {
    connected: list.length,
    reporting: reports.length,
    starving: reports.filter((r) => r.playing && r.bufferedAheadMs < STARVING_MS).length,
    meanBufferAheadMs: reports.length ? reports.reduce((a, r) => a + r.bufferedAheadMs, 0) / reports.length : null,
    list: list.slice(0, 50).map((p) => ({
      socketId: p.socketId,
      email: p.email,
      videoId: p.presence?.videoId ?? null,
      source: p.presence?.source ?? null,
      playing: p.presence?.playing ?? false,
      positionMs: p.presence?.positionMs ?? null,
      bufferedAheadMs: p.presence?.bufferedAheadMs ?? null,
      reportedAt: p.presence?.receivedAt ?? null,
    })),
  }
}

const finishedBetween = (from: Date, to: Date) => ({
  OR: [{ finishedAt: { gte: from, lt: to } }, { finishedAt: null, updatedAt: { gte: from, lt: to } }],
})

export async function getOverview(): Promise<Overview> {
  const now = Date.now()
  const t = ALERT_THRESHOLDS
  const recentFrom = new Date(now - t.recentWindowMs)
  const baselineFrom = new Date(now - t.recentWindowMs - t.baselineWindowMs)
  const hourAgo = new Date(now - BUCKETS * BUCKET_MS)
  const [byState, ready, active, workers, failuresRecent, failuresBaseline, finished, diskFacts, playerFacts] = await Promise.all([
    db.transcodeSession.groupBy({ by: ['state'], _count: { _all: true } }),
    db.transcodeSession.count({ where: { state: 'QUEUED', runAt: { lte: new Date(now) } } }),
    db.transcodeSession.findMany({
      where: { state: { in: [...LEASED_STATES] } },
      orderBy: { startedAt: 'asc' },
      take: 200,
      include: { content: { select: { videos: { select: { title: true }, take: 1, orderBy: { createdAt: 'asc' } } } } },
    }),
    listWorkers(),
    db.transcodeSession.count({ where: { state: 'FAILED', ...finishedBetween(recentFrom, new Date(now + 1)) } }),
    db.transcodeSession.count({ where: { state: 'FAILED', ...finishedBetween(baselineFrom, recentFrom) } }),
    db.transcodeSession.findMany({
      where: { state: { in: ['STORED', 'FAILED'] }, ...finishedBetween(hourAgo, new Date(now + 1)) },
      select: { state: true, finishedAt: true, updatedAt: true },
      take: 10_000,
    }),
    disk(),
    players(),
  ])
  const lastEvents = active.length
    ? await db.sessionEvent.groupBy({ by: ['sessionId'], where: { sessionId: { in: active.map((s) => s.id) } }, _max: { createdAt: true } })
    : []
  const lastBySession = new Map(lastEvents.map((e) => [e.sessionId, e._max.createdAt?.getTime() ?? 0]))

  const counts = Object.fromEntries(SESSION_STATES.map((s) => [s, 0])) as Record<string, number>
  for (const r of byState) counts[r.state] = r._count._all
  const running = active.filter((s) => s.state === 'RUNNING')
  const speeds = running.map((s) => s.encodeSpeed).filter((v): v is number => typeof v === 'number')
  const speedSum = speeds.reduce((a, b) => a + b, 0)
  const activeViews = active.map((s) => {
    const lastActivity = Math.max(lastBySession.get(s.id) ?? 0, s.updatedAt.getTime())
    return {
      id: s.id,
      state: s.state,
      title: s.content.videos[0]?.title ?? null,
      worker: s.leaseOwner,
      progress: s.progress,
      encodeSpeed: s.encodeSpeed,
      segmentsReady: s.segmentsReady,
      segmentsTotal: s.segmentsTotal,
      lastActivityAt: new Date(lastActivity).toISOString(),
    }
  })
  const buckets = Array.from({ length: BUCKETS }, (_, i) => ({ start: now - (BUCKETS - i) * BUCKET_MS, stored: 0, failed: 0 }))
  for (const f of finished) {
    const at = (f.finishedAt ?? f.updatedAt).getTime()
    const b = buckets[Math.min(BUCKETS - 1, Math.floor((at - buckets[0].start) / BUCKET_MS))]
    if (!b) continue
    if (f.state === 'STORED') b.stored++
    else b.failed++
  }
  const liveWorkers = workers.filter((w) => w.live)
  const alerts = computeAlerts({
    now,
    activeSessions: activeViews.map((s) => ({ id: s.id, title: s.title, lastActivityAt: Date.parse(s.lastActivityAt) })),
    liveWorkers,
    queued: counts.QUEUED,
    disk: diskFacts,
    failuresRecent,
    failuresBaseline,
  })
  return {
    at: new Date(now).toISOString(),
    encode: { running: running.length, speedSum, speedMean: speeds.length ? speedSum / speeds.length : null },
    segments: {
      ready: active.reduce((a, s) => a + s.segmentsReady, 0),
      total: active.reduce((a, s) => a + s.segmentsTotal, 0),
    },
    queue: { byState: counts, ready, delayed: Math.max(0, counts.QUEUED - ready) },
    active: activeViews,
    workers,
    delivery: { bytesServedTotal: metricsState().bytesServed, bytesPerSecond: bytesServedPerSecond() },
    players: playerFacts,
    sockets: socketClients(),
    disk: diskFacts,
    failures: { recent: failuresRecent, baseline: failuresBaseline },
    throughput: buckets.map((b) => ({ start: new Date(b.start).toISOString(), stored: b.stored, failed: b.failed })),
    alerts,
  }
}
