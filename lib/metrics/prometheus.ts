import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { db } from '@/lib/db'
import { SESSION_POLICY } from '@/lib/queue/policy'
import { metricsState, socketClients } from './state'

// The Prometheus registry of the web process. Counters are kept as plain numbers in ./state (shared
// with Next's copy of the modules) and copied into prom-client at scrape; database figures
// (sessions, queue, workers, webhooks) are read at scrape, at most once a second.

const STATES = ['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'STORED', 'FAILED', 'CANCELLED'] as const

interface DbFacts {
  sessions: Record<string, number>
  queueReady: number
  queueDelayed: number
  encodeSpeeds: number[]
  workersLive: number
  breakersOpen: number
  deliveries: Record<string, number>
}

async function readDbFacts(): Promise<DbFacts> {
  const liveSince = new Date(Date.now() - SESSION_POLICY.workerLiveMs)
  const [byState, ready, running, workers, deliveries] = await Promise.all([
    db.transcodeSession.groupBy({ by: ['state'], _count: { _all: true } }),
    db.transcodeSession.count({ where: { state: 'QUEUED', runAt: { lte: new Date() } } }),
    db.transcodeSession.findMany({ where: { state: 'RUNNING' }, select: { encodeSpeed: true } }),
    db.worker.findMany({ where: { heartbeatAt: { gt: liveSince } }, select: { breakerOpen: true } }),
    db.webhookDelivery.groupBy({ by: ['status'], _count: { _all: true } }),
  ])
  const sessions = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<string, number>
  for (const r of byState) sessions[r.state] = r._count._all
  return {
    sessions,
    queueReady: ready,
    queueDelayed: Math.max(0, sessions.QUEUED - ready),
    encodeSpeeds: running.map((r) => r.encodeSpeed).filter((v): v is number => typeof v === 'number'),
    workersLive: workers.length,
    breakersOpen: workers.filter((w) => w.breakerOpen).length,
    deliveries: Object.fromEntries(deliveries.map((d) => [d.status, d._count._all])),
  }
}

let cached: { at: number; facts: Promise<DbFacts> } | null = null
function dbFacts(): Promise<DbFacts> {
  if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), facts: readDbFacts() }
  return cached.facts
}

function build(): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'reelhouse_' })
  const registers = [registry]

  new Counter({
    name: 'reelhouse_http_requests_total',
    help: 'HTTP requests answered by the web process.',
    labelNames: ['method', 'kind', 'status'],
    registers,
    collect() {
      this.reset()
      for (const [key, n] of metricsState().requests) {
        const [method, kind, status] = key.split(' ')
        this.inc({ method, kind, status }, n)
      }
    },
  })
  new Counter({
    name: 'reelhouse_http_request_duration_seconds_total',
    help: 'Total time spent answering HTTP requests, by kind (divide by reelhouse_http_requests_total for the mean).',
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset()
      for (const [kind, [sum]] of metricsState().durations) this.inc({ kind }, sum)
    },
  })
  new Counter({
    name: 'reelhouse_bytes_served_total',
    help: 'Media bytes written to clients.',
    registers,
    collect() {
      this.reset()
      this.inc(metricsState().bytesServed)
    },
  })
  new Counter({
    name: 'reelhouse_rate_limited_total',
    help: 'API requests refused with 429.',
    registers,
    collect() {
      this.reset()
      this.inc(metricsState().rateLimited)
    },
  })
  new Gauge({
    name: 'reelhouse_socketio_clients',
    help: 'Connected socket.io clients, by namespace.',
    labelNames: ['namespace'],
    registers,
    collect() {
      this.reset()
      for (const [namespace, n] of Object.entries(socketClients())) this.set({ namespace }, n)
    },
  })
  new Gauge({
    name: 'reelhouse_sessions',
    help: 'Transcode sessions by state.',
    labelNames: ['state'],
    registers,
    async collect() {
      const f = await dbFacts()
      for (const [state, n] of Object.entries(f.sessions)) this.set({ state }, n)
    },
  })
  new Gauge({
    name: 'reelhouse_queue_depth',
    help: 'Queued sessions: ready to run now, or waiting for a retry backoff.',
    labelNames: ['kind'],
    registers,
    async collect() {
      const f = await dbFacts()
      this.set({ kind: 'ready' }, f.queueReady)
      this.set({ kind: 'delayed' }, f.queueDelayed)
    },
  })
  new Gauge({
    name: 'reelhouse_encode_speed_ratio',
    help: 'Encoding speed of running sessions as a multiple of real time (sum over sessions, and mean).',
    labelNames: ['stat'],
    registers,
    async collect() {
      const speeds = (await dbFacts()).encodeSpeeds
      const sum = speeds.reduce((a, b) => a + b, 0)
      this.set({ stat: 'sum' }, sum)
      this.set({ stat: 'mean' }, speeds.length ? sum / speeds.length : 0)
    },
  })
  new Gauge({
    name: 'reelhouse_workers_live',
    help: 'Workers with a recent heartbeat.',
    registers,
    async collect() {
      this.set((await dbFacts()).workersLive)
    },
  })
  new Gauge({
    name: 'reelhouse_worker_breakers_open',
    help: 'Live workers whose circuit breaker is open (not claiming).',
    registers,
    async collect() {
      this.set((await dbFacts()).breakersOpen)
    },
  })
  new Gauge({
    name: 'reelhouse_webhook_deliveries',
    help: 'Webhook deliveries by status.',
    labelNames: ['status'],
    registers,
    async collect() {
      const f = await dbFacts()
      for (const status of ['PENDING', 'SENDING', 'SUCCEEDED', 'FAILED']) this.set({ status }, f.deliveries[status] ?? 0)
    },
  })
  return registry
}

const KEY = Symbol.for('reelhouse.metrics.registry')
const slot = globalThis as unknown as { [KEY]?: Registry }

/** The process-wide registry (built once). */
export function metricsRegistry(): Registry {
  slot[KEY] ??= build()
  return slot[KEY]
}
