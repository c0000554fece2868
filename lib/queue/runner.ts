import { randomBytes } from 'node:crypto'
import os from 'node:os'
import pg from 'pg'
import { databaseUrl as configuredDatabaseUrl } from '@/lib/config/env'
import { db, type TranscodeSession } from '@/lib/db'
import { log } from '@/lib/log'
import { CANCEL_CHANNEL, WAKE_CHANNEL } from './channels'
import { claimNextSession, claimStartupSession, releaseLease, renewLease } from './claim'
import { publishEvent } from './events'
import { PauseController } from './pause'
import { PRIORITY_POLICY, SESSION_POLICY } from './policy'
import { type RunningFacts, shouldPreempt, shouldResume } from './priority'
import { waitingViewers } from './watchers'
import { heartbeat, registerWorker, unregisterWorker, type WorkerBeat } from './workers'

export interface SessionHandlerContext {
  workerId: string
  /** Aborted on cancel, lost lease or worker shutdown. */
  signal: AbortSignal
  /** Flipped by the priority lane: the handler pauses its encode's FFmpeg while it is set. */
  pause: PauseController
  /** The handler's figures the priority lane decides on (stage, media encoded). */
  report(facts: Partial<RunningFacts>): void
}

/** Runs one claimed session; resolves with the outcome it recorded (null: aborted, nothing recorded). */
export type SessionHandler = (session: TranscodeSession, ctx: SessionHandlerContext) => Promise<{ kind: string } | null>

/** Lets the runner pause claiming (circuit breaker) and report why in the heartbeat. */
export interface ClaimGate {
  canClaim(): boolean
  beat(): Pick<WorkerBeat, 'breakerOpen' | 'breakerReason'>
}

/** Timings the runner uses; the job policy's by default (tests shorten them). */
export interface RunnerTimings {
  leaseMs: number
  renewEveryMs: number
  heartbeatEveryMs: number
  pollEveryMs: number
  /** While a session runs: how often the priority lane looks again (a wake-up comes sooner). */
  scheduleEveryMs: number
}

/** A session this worker holds: running, or paused by the priority lane. */
interface Run {
  session: TranscodeSession
  abort: AbortController
  pause: PauseController
  facts: RunningFacts
  finished: boolean
  done: Promise<void>
}

/**
 * The worker loop: register, heartbeat, claim one session at a time (LISTEN wakes it at once,
 * polling is the fallback), renew the lease while the handler runs, release on shutdown. The
 * priority lane: while a session encodes, a start-up-lane session may pause it (SIGSTOP through
 * the handler) and run; the paused one keeps its lease (renewed here like any other) and goes on
 * when lib/queue/priority.ts says so.
 */
export class WorkerRunner {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  private runs: Run[] = []
  private stopping = false
  private wake: (() => void) | null = null
  private listener: pg.Client | null = null
  private timers: NodeJS.Timeout[] = []
  private loopDone: Promise<void> | null = null
  private readonly timings: RunnerTimings

  constructor(
    private readonly handler: SessionHandler,
    private readonly gate: ClaimGate = { canClaim: () => true, beat: () => ({}) },
    private readonly databaseUrl = configuredDatabaseUrl(),
    timings: Partial<RunnerTimings> = {},
  ) {
    this.timings = {
      leaseMs: SESSION_POLICY.leaseMs,
      renewEveryMs: SESSION_POLICY.renewEveryMs,
      heartbeatEveryMs: SESSION_POLICY.heartbeatEveryMs,
      pollEveryMs: SESSION_POLICY.pollEveryMs,
      scheduleEveryMs: 1_000,
      ...timings,
    }
  }

  async start(): Promise<void> {
    await registerWorker(this.id)
    await this.listen()
    this.timers.push(setInterval(() => void this.beat(), this.timings.heartbeatEveryMs))
    this.timers.push(setInterval(() => void this.renew(), this.timings.renewEveryMs))
    await this.beat()
    this.loopDone = this.loop()
    log.info({ worker: this.id }, 'worker ready')
  }

  /** The session the worker works on now (for the heartbeat and admin view): not a paused one. */
  get currentSessionId(): string | null {
    return (this.runs.find((r) => !r.pause.paused) ?? this.runs[0])?.session.id ?? null
  }

  /** Sessions held, with whether each is paused (tests, diagnostics). */
  get held(): { id: string; paused: boolean }[] {
    return this.runs.filter((r) => !r.finished).map((r) => ({ id: r.session.id, paused: r.pause.paused }))
  }

  /** Aborts the running session if it is `sessionId` (cancel requested by an admin). */
  abortSession(sessionId: string, reason: string): void {
    for (const r of this.runs) if (r.session.id === sessionId) r.abort.abort(new Error(reason))
  }

  async stop(): Promise<void> {
    this.stopping = true
    this.wake?.()
    for (const t of this.timers) clearInterval(t)
    const held = [...this.runs]
    for (const r of held) r.abort.abort(new Error('worker shutting down'))
    await this.loopDone?.catch(() => {})
    await Promise.all(held.map((r) => releaseLease(r.session.id, this.id).catch(() => {})))
    await this.listener?.end().catch(() => {})
    await unregisterWorker(this.id)
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl })
    client.on('error', (err) => log.warn({ err }, 'listen connection lost; polling only'))
    client.on('notification', (msg) => {
      if (msg.channel === WAKE_CHANNEL) this.wake?.()
      else if (msg.channel === CANCEL_CHANNEL && msg.payload) this.abortSession(msg.payload, 'cancelled')
    })
    await client.connect()
    await client.query(`LISTEN ${WAKE_CHANNEL}`)
    await client.query(`LISTEN ${CANCEL_CHANNEL}`)
    this.listener = client
  }

  private async beat(): Promise<void> {
    await heartbeat(this.id, { currentSessionId: this.currentSessionId, ...this.gate.beat() }).catch((err) => log.warn({ err }, 'heartbeat failed'))
  }

  /** Every held session's lease, paused ones included: a stopped FFmpeg is still this worker's work. */
  private async renew(): Promise<void> {
    await Promise.all(
      this.runs.map(async (r) => {
        const held = await renewLease(r.session.id, this.id, this.timings.leaseMs).catch(() => true)
        if (!held) r.abort.abort(new Error('lease lost to another worker'))
      }),
    )
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms)
      function done() {
        clearTimeout(t)
        resolve()
      }
      this.wake = done
    })
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      await this.schedule().catch((err) => log.error({ err }, 'scheduling failed'))
      await this.idle(this.runs.length ? this.timings.scheduleEveryMs : this.timings.pollEveryMs)
    }
    await Promise.all(this.runs.map((r) => r.done))
  }

  /** One look at the queue: resume a paused session when it is time, claim when idle, preempt when the lane says so. */
  private async schedule(): Promise<void> {
    this.runs = this.runs.filter((r) => !r.finished)
    const paused = this.runs.find((r) => r.pause.paused)
    if (paused) {
      const preempting = this.runs.find((r) => r !== paused) ?? null
      const viewers = await waitingViewers(paused.session.id).catch(() => 0)
      const facts = preempting ? { ...preempting.facts, done: preempting.finished } : null
      if (shouldResume({ viewers, pausedMs: paused.pause.pausedMs }, facts, PRIORITY_POLICY)) await this.setPaused(paused, false, preempting)
    }
    if (this.stopping || !this.gate.canClaim()) return
    if (this.runs.length === 0) {
      const session = await claimNextSession(this.id, this.timings.leaseMs)
      if (session) this.begin(session)
      return
    }
    const [only] = this.runs
    if (this.runs.length !== 1 || only.pause.paused || !shouldPreempt(only.facts, 'startup', PRIORITY_POLICY)) return
    const session = await claimStartupSession(this.id, this.timings.leaseMs)
    if (!session) return
    await this.setPaused(only, true, { session })
    this.begin(session)
  }

  private begin(session: TranscodeSession): void {
    const abort = new AbortController()
    const pause = new PauseController()
    const run: Run = { session, abort, pause, facts: { encoding: false, encodedMs: 0, durationMs: null }, finished: false, done: Promise.resolve() }
    const report = (facts: Partial<RunningFacts>) => Object.assign(run.facts, facts)
    run.done = (async () => {
      try {
        const outcome = await this.handler(session, { workerId: this.id, signal: abort.signal, pause, report })
        log.info({ session: session.id, attempt: session.attempt, outcome: outcome?.kind ?? 'aborted' }, 'session attempt done')
      } catch (err) {
        log.error({ err, session: session.id }, 'session handler crashed')
      } finally {
        run.finished = true
        if (pause.paused) {
          pause.set(false)
          await markPaused(session.id, this.id, null)
        }
        void this.beat()
        this.wake?.()
      }
    })()
    this.runs.push(run)
    void this.beat()
  }

  /** Pauses or continues `run`'s encode, and says so on its row (admin view) and in its timeline. */
  private async setPaused(run: Run, paused: boolean, other: { session: TranscodeSession } | null): Promise<void> {
    run.pause.set(paused)
    log.info({ session: run.session.id, for: other?.session.id }, paused ? 'encode paused for a start-up-lane session' : 'encode resumed')
    await markPaused(run.session.id, this.id, paused ? new Date() : null)
    await publishEvent(run.session.id, run.session.contentHash, paused ? 'SessionPaused' : 'SessionResumed', other ? { for: other.session.id } : {}).catch(
      () => {},
    )
    void this.beat()
  }
}

async function markPaused(sessionId: string, workerId: string, at: Date | null): Promise<void> {
  await db.transcodeSession.updateMany({ where: { id: sessionId, leaseOwner: workerId }, data: { pausedAt: at } }).catch(() => {})
}
