import { type ChildProcess, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Actor } from '@/lib/auth/actor'
import type { CommandAck } from '@/lib/realtime/protocol'
import { connectAdminSocket } from '@/lib/realtime/connect'
import { type FromLoad, type FromPlayers, type FromServer, request, type Summary, summary, wallNow } from './shared'

// Command delivery latency with 500 players, idle and while 50 range streams saturate the same
// server, in one run. `npx tsx bench/commands/run.ts [--players 500 --streams 50 ...]`.
// Everything runs on 127.0.0.1 in child processes that are stopped at the end; a database is
// started in a temp dir unless DATABASE_URL is set.

const { values: args } = parseArgs({
  options: {
    players: { type: 'string', default: '500' },
    'client-procs': { type: 'string', default: '2' },
    streams: { type: 'string', default: '50' },
    /** Commands per phase, spread over the rounds. */
    commands: { type: 'string', default: '300' },
    /** Idle and load windows alternate this many times, so neighbours' noise hits both alike. */
    rounds: { type: 'string', default: '3' },
    /** Nice value for the range-load client: it stands for remote clients, which cost the server no CPU. */
    'load-nice': { type: 'string', default: '10' },
    /** isolated: socket.io in its own process behind the same port, as in production (lib/realtime/handoff); shared: one process. */
    layout: { type: 'string', default: 'isolated' },
    /** With the isolated layout: the media process's nice value (production: WEB_NICE, default 15). */
    'media-nice': { type: 'string', default: '15' },
    interval: { type: 'string', default: '50' },
    'read-size': { type: 'string', default: String(1024 * 1024) },
    'range-mb': { type: 'string', default: '32' },
    'file-mb': { type: 'string', default: '256' },
    /** Write a V8 CPU profile of the server process into this directory. */
    'profile-server': { type: 'string' },
  },
})
const PLAYERS = Number(args.players)
const CLIENT_PROCS = Number(args['client-procs'])
const STREAMS = Number(args.streams)
const COMMANDS = Number(args.commands)
const ROUNDS = Number(args.rounds)
const ISOLATED = args.layout === 'isolated'
const LOAD_NICE = Number(args['load-nice'])
const INTERVAL_MS = Number(args.interval)
const FILE_MB = Number(args['file-mb'])
const RANGE_BYTES = Number(args['range-mb']) * 1024 * 1024
const TARGET_P99_MS = 20
const TARGET_RATIO = 1.5
const DEADLINE_MS = 10 * 60_000

const children: ChildProcess[] = []
const cleanups: (() => Promise<void>)[] = []
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function child(file: string, env: Record<string, string> = {}, execArgv: string[] = []): ChildProcess {
  const c = fork(new URL(file, import.meta.url), [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.push(c)
  return c
}

async function makeFile(dir: string, mb: number): Promise<string> {
  const file = path.join(dir, 'media.bin')
  const chunk = randomBytes(1024 * 1024)
  const fh = await open(file, 'w')
  for (let i = 0; i < mb; i++) await fh.write(chunk)
  await fh.close()
  return file
}

async function database(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL
  const { startEmbeddedPostgres } = await import('@/lib/db/embedded')
  const { deployMigrations } = await import('@/lib/db/migrations')
  // Its own temp dir: as root the cluster runs as another user, which must traverse the data dir.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-bench-db-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const pg = await startEmbeddedPostgres({ dataDir })
  cleanups.push(() => pg.stop())
  await deployMigrations(pg.url)
  return pg.url
}

/** Everything measured in one phase, accumulated over its windows. */
class Phase {
  delivery: number[] = []
  e2e: number[] = []
  ack: number[] = []
  /** Admin send -> the server's handler starts (loop wait to read the socket). */
  uplink: number[] = []
  /** Handler start -> ack sent (validation, the seq from the owner's state, the broadcast). */
  inServer: number[] = []
  /** Last ack of a window -> the room row carries its seq (the owner's write-back). */
  writeBack: number[] = []
  broadcast: number[] = []
  expected = 0
  received = 0
  outOfOrder = 0
  seconds = 0
  serverCpuMs = 0
  serverLagP99 = 0
  serverLagMax = 0
  clientCpuMs = 0
  clientLagP99 = 0
  loadavg: number[] = []
  constructor(readonly name: string) {}
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-bench-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const url = await database()
  process.env.DATABASE_URL = url
  const { db, disconnectDb } = await import('@/lib/db')
  const { createRoom } = await import('@/lib/rooms')
  cleanups.push(disconnectDb)

  const tag = randomBytes(4).toString('hex')
  const mk = async (role: 'USER' | 'ADMIN'): Promise<[string, Actor]> => {
    const email = `bench-${role.toLowerCase()}-${tag}@bench.test`
    const u = await db.user.create({ data: { email, passwordHash: 'x', role } })
    return [randomBytes(12).toString('hex'), { userId: u.id, email, role, via: 'session', scopes: ['read', 'write', 'admin'] }]
  }
  const admin = await mk('ADMIN')
  const viewer = await mk('USER')
  const room = await createRoom(admin[1], { name: `bench ${tag}` })
  const file = await makeFile(dir, FILE_MB)

  console.log(
    ISOLATED
      ? `layout: socket.io in its own process (upgrades handed over), media process at nice ${args['media-nice']}`
      : 'layout: socket.io and range streams in one process',
  )
  console.log(
    `players ${PLAYERS} in ${CLIENT_PROCS} processes · ${STREAMS} range streams (${args['read-size']} B reads) · ${COMMANDS} commands per phase every ${INTERVAL_MS} ms · ${os.cpus().length} CPUs`,
  )
  const server = child(
    './server.ts',
    {
      DATABASE_URL: url,
      BENCH_FILE: file,
      BENCH_ACTORS: JSON.stringify([admin, viewer]),
      BENCH_READ_SIZE: String(args['read-size']),
      BENCH_ISOLATE: ISOLATED ? '1' : '0',
      BENCH_MEDIA_NICE: args['media-nice'],
    },
    args['profile-server'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['profile-server'])}`] : [],
  )
  const { port } = (await request<FromServer>(server, null, 'ready')) as Extract<FromServer, { type: 'ready' }>
  const base = `http://127.0.0.1:${port}`

  const playerProcs = Array.from({ length: CLIENT_PROCS }, () => child('./players.ts'))
  const per = Math.ceil(PLAYERS / CLIENT_PROCS)
  const ready = await Promise.all(
    playerProcs.map((p, i) =>
      request<FromPlayers>(p, { type: 'start', url: base, token: viewer[0], roomId: room.id, count: Math.min(per, PLAYERS - i * per) }, 'ready', 120_000),
    ),
  )
  const connected = ready.reduce((n, r) => n + (r.type === 'ready' ? r.connected : 0), 0)
  console.log(`${connected} players connected and joined`)

  const adminSocket = connectAdminSocket(base, { token: admin[0], transports: ['websocket'], reconnection: false })
  await new Promise<void>((resolve, reject) => {
    adminSocket.once('connect', () => resolve())
    adminSocket.once('connect_error', reject)
  })

  const collect = async () => {
    const replies = await Promise.all(playerProcs.map((p) => request<FromPlayers>(p, { type: 'collect' }, 'samples')))
    const out = { seqs: [] as number[], recvAt: [] as number[], serverTime: [] as number[], outOfOrder: 0, lagP99: 0, cpuMs: 0 }
    for (const r of replies) {
      if (r.type !== 'samples') continue
      for (let i = 0; i < r.seqs.length; i++) {
        out.seqs.push(r.seqs[i])
        out.recvAt.push(r.recvAt[i])
        out.serverTime.push(r.serverTime[i])
      }
      out.outOfOrder += r.outOfOrder
      out.lagP99 = Math.max(out.lagP99, r.lagP99)
      out.cpuMs += r.cpuMs
    }
    return out
  }

  const cycle = ['pause', 'seek', 'play', 'seek'] as const
  let n = 0
  /** One measurement window: `count` commands from the admin, then everything delivered is collected. */
  const window = async (phase: Phase, count: number) => {
    await collect()
    server.send({ type: 'lag.reset' })
    const sentAtBySeq = new Map<number, number>()
    const ackedAtBySeq = new Map<number, number>()
    let failed = 0
    const t0 = wallNow()
    for (let i = 0; i < count; i++) {
      const type = cycle[n++ % cycle.length]
      const cmd = type === 'seek' ? { type, roomId: room.id, positionMs: (n * 1000) % 3_600_000 } : { type, roomId: room.id }
      const sentAt = wallNow()
      adminSocket
        .timeout(10_000)
        .emitWithAck('command', cmd)
        .then((ack: CommandAck) => {
          if (!ack.ok) return console.error('command refused', ack.error)
          phase.ack.push(wallNow() - sentAt)
          phase.uplink.push(ack.serverReceivedAt - sentAt)
          phase.inServer.push(ack.serverSentAt - ack.serverReceivedAt)
          sentAtBySeq.set(ack.seq, sentAt)
          ackedAtBySeq.set(ack.seq, wallNow())
        })
        .catch(() => {
          failed++
          console.error('command ack timed out')
        })
      await sleep(INTERVAL_MS)
    }
    // Wait for the acks, then until every player has every acked command (or 10 s).
    const acked = async () => {
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline && sentAtBySeq.size + failed < count) await sleep(50)
    }
    await acked()
    // The owner writes the row after the broadcast: how long until it has the window's last seq.
    const lastSeq = Math.max(0, ...sentAtBySeq.keys())
    const lastAckAt = ackedAtBySeq.get(lastSeq) ?? wallNow()
    for (const until = Date.now() + 10_000; Date.now() < until; await sleep(5)) {
      const r = await db.room.findUnique({ where: { id: room.id }, select: { seq: true } })
      if ((r?.seq ?? 0) >= lastSeq) break
    }
    phase.writeBack.push(wallNow() - lastAckAt)
    const lag = (await request<FromServer>(server, { type: 'lag.read' }, 'lag')) as Extract<FromServer, { type: 'lag' }>
    const want = sentAtBySeq.size * connected
    let received = 0
    const got = { outOfOrder: 0, lagP99: 0, cpuMs: 0 }
    for (const deadline = Date.now() + 10_000; ; ) {
      const part = await collect()
      for (let i = 0; i < part.seqs.length; i++) {
        const sentAt = sentAtBySeq.get(part.seqs[i])
        if (sentAt === undefined) continue // a straggler from an earlier window
        received++
        phase.delivery.push(part.recvAt[i] - part.serverTime[i])
        phase.e2e.push(part.recvAt[i] - sentAt)
      }
      got.outOfOrder += part.outOfOrder
      got.lagP99 = Math.max(got.lagP99, part.lagP99)
      got.cpuMs += part.cpuMs
      if (received >= want || Date.now() > deadline) break
      await sleep(200)
    }
    phase.seconds += (wallNow() - t0) / 1000
    phase.expected += count * connected
    phase.received += received
    phase.outOfOrder += got.outOfOrder
    phase.broadcast.push(...lag.broadcast)
    phase.serverCpuMs += lag.cpuMs
    phase.serverLagP99 = Math.max(phase.serverLagP99, lag.p99)
    phase.serverLagMax = Math.max(phase.serverLagMax, lag.max)
    phase.clientCpuMs += got.cpuMs
    phase.clientLagP99 = Math.max(phase.clientLagP99, got.lagP99)
    phase.loadavg.push(os.loadavg()[0])
  }

  await window(new Phase('warm-up'), 20)
  const load = child('./load.ts')
  if (LOAD_NICE) os.setPriority(load.pid!, LOAD_NICE)
  await request<FromLoad>(load, { type: 'start', url: base, streams: STREAMS, rangeBytes: RANGE_BYTES, fileSize: FILE_MB * 1024 * 1024 }, 'running')
  await request<FromLoad>(load, { type: 'pause' }, 'paused')
  const idle = new Phase('idle')
  const loaded = new Phase('under load')
  const perWindow = Math.max(1, Math.round(COMMANDS / ROUNDS))
  for (let r = 0; r < ROUNDS; r++) {
    await window(idle, perWindow)
    await request<FromLoad>(load, { type: 'resume' }, 'running')
    await sleep(1000) // let the streams fill their pipes
    await window(loaded, perWindow)
    await request<FromLoad>(load, { type: 'pause' }, 'paused')
  }
  const loadStats = (await request<FromLoad>(load, { type: 'stop' }, 'stats')) as Extract<FromLoad, { type: 'stats' }>
  adminSocket.close()

  const fmt = (v: number) => v.toFixed(2).padStart(8)
  const pct = (ms: number, p: Phase) => `${((ms / (p.seconds * 1000)) * 100).toFixed(0)} %`
  const row = (label: string, x: Summary) => `${label.padEnd(44)}${fmt(x.p50)}${fmt(x.p90)}${fmt(x.p99)}${fmt(x.max)}`
  const phases = [idle, loaded]
  console.log(`\n${''.padEnd(44)}     p50     p90     p99     max  (ms)`)
  for (const p of phases) {
    const avg = p.loadavg.reduce((a, b) => a + b, 0) / p.loadavg.length
    console.log(`${p.name}: ${p.received}/${p.expected} deliveries, ${p.outOfOrder} out of order, machine load avg ${avg.toFixed(1)}`)
    console.log(row('  delivery (server send -> player)', summary(p.delivery)))
    console.log(row('  end to end (admin send -> player)', summary(p.e2e)))
    console.log(row('  admin ack', summary(p.ack)))
    console.log(row('    of which: admin send -> server handler', summary(p.uplink)))
    console.log(row('    of which: handler (seq, broadcast)', summary(p.inServer)))
    console.log(row('  server: one broadcast to all players', summary(p.broadcast)))
    console.log(row('  row written back, after the last ack of a window', summary(p.writeBack)))
    console.log(
      `  server loop lag p99 ${p.serverLagP99.toFixed(1)} max ${p.serverLagMax.toFixed(1)} ms, CPU ${pct(p.serverCpuMs, p)}; player processes loop lag p99 ${p.clientLagP99.toFixed(1)} ms, CPU ${pct(p.clientCpuMs, p)}`,
    )
  }
  const gbps = (loadStats.bytes * 8) / loadStats.seconds / 1e9
  console.log(
    `\nrange load: ${STREAMS} streams, ${(loadStats.bytes / 2 ** 30).toFixed(1)} GiB in ${loadStats.seconds.toFixed(1)} s = ${gbps.toFixed(2)} Gbit/s, ${loadStats.requests} range responses completed`,
  )
  const idleP99 = summary(idle.delivery).p99
  let ok = true
  for (const p of [loaded]) {
    const p99 = summary(p.delivery).p99
    const ratio = p99 / idleP99
    const pass = p99 <= TARGET_P99_MS && ratio <= TARGET_RATIO
    ok &&= pass
    console.log(
      `${p.name}: delivery p99 ${p99.toFixed(2)} ms (target <= ${TARGET_P99_MS}), ${ratio.toFixed(2)}x idle p99 ${idleP99.toFixed(2)} ms (target <= ${TARGET_RATIO}x): ${pass ? 'PASS' : 'FAIL'}`,
    )
  }
  const complete = phases.every((p) => p.received === p.expected && p.outOfOrder === 0)
  console.log(`every command delivered to every player, in order: ${complete ? 'yes' : 'NO'}`)
  return ok && complete
}

async function shutdown(): Promise<void> {
  for (const c of children) {
    c.on('error', () => undefined) // a child that already exited
    if (c.connected) c.send({ type: 'stop' })
  }
  const deadline = Date.now() + 3000
  while (Date.now() < deadline && children.some((c) => c.exitCode === null && c.signalCode === null)) await sleep(50)
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error('cleanup failed:', err))
}

const deadline = setTimeout(() => {
  console.error('bench exceeded its time limit')
  shutdown().finally(() => process.exit(2))
}, DEADLINE_MS)
// Signals may arrive more than once (the npx and tsx wrappers relay them); clean up once.
let stopping = false
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return
    stopping = true
    shutdown().finally(() => process.exit(130))
  })
}

main()
  .then(async (ok) => {
    clearTimeout(deadline)
    await shutdown()
    process.exit(ok ? 0 : 1)
  })
  .catch(async (err) => {
    clearTimeout(deadline)
    console.error(err)
    await shutdown()
    process.exit(2)
  })
