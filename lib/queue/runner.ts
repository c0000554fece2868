import { randomBytes } from 'node:crypto'
import os from 'node:os'
import pg from 'pg'
import { databaseUrl as configuredDatabaseUrl } from '@/lib/config/env'
import type { TranscodeSession } from '@/lib/db'
import { log } from '@/lib/log'
import { CANCEL_CHANNEL, WAKE_CHANNEL } from './channels'
import { claimNextSession, releaseLease, renewLease } from './claim'
import { SESSION_POLICY } from './policy'
import { heartbeat, registerWorker, unregisterWorker, type WorkerBeat } from './workers'

export interface SessionHandlerContext {
  workerId: string
  /** Aborted on cancel, lost lease or worker shutdown. */
  signal: AbortSignal
}

/** Runs one claimed session; resolves with the outcome it recorded (null: aborted, nothing recorded). */
export type SessionHandler = (session: TranscodeSession, ctx: SessionHandlerContext) => Promise<{ kind: string } | null>

/** Lets the runner pause claiming (circuit breaker) and report why in the heartbeat. */
export interface ClaimGate {
  canClaim(): boolean
  beat(): Pick<WorkerBeat, 'breakerOpen' | 'breakerReason'>
}

/**
 * The worker loop: register, heartbeat, claim one session at a time (LISTEN wakes it at once,
 * polling is the fallback), renew the lease while the handler runs, release on shutdown.
 */
export class WorkerRunner {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  private current: { session: TranscodeSession; abort: AbortController } | null = null
  private stopping = false
  private wake: (() => void) | null = null
  private listener: pg.Client | null = null
  private timers: NodeJS.Timeout[] = []
  private loopDone: Promise<void> | null = null

  constructor(
    private readonly handler: SessionHandler,
    private readonly gate: ClaimGate = { canClaim: () => true, beat: () => ({}) },
    private readonly databaseUrl = configuredDatabaseUrl(),
  ) {}

  async start(): Promise<void> {
    await registerWorker(this.id)
    await this.listen()
    this.timers.push(setInterval(() => void this.beat(), SESSION_POLICY.heartbeatEveryMs))
    this.timers.push(setInterval(() => void this.renew(), SESSION_POLICY.renewEveryMs))
    await this.beat()
    this.loopDone = this.loop()
    log.info({ worker: this.id }, 'worker ready')
  }

  /** Current session id (for the heartbeat and admin view). */
  get currentSessionId(): string | null {
    return this.current?.session.id ?? null
  }

  /** Aborts the running session if it is `sessionId` (cancel requested by an admin). */
  abortSession(sessionId: string, reason: string): void {
    if (this.current?.session.id === sessionId) this.current.abort.abort(new Error(reason))
  }

  async stop(): Promise<void> {
    this.stopping = true
    this.wake?.()
    for (const t of this.timers) clearInterval(t)
    const running = this.current
    if (running) running.abort.abort(new Error('worker shutting down'))
    await this.loopDone?.catch(() => {})
    if (running) await releaseLease(running.session.id, this.id).catch(() => {})
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

  private async renew(): Promise<void> {
    const cur = this.current
    if (!cur) return
    const held = await renewLease(cur.session.id, this.id).catch(() => true)
    if (!held) cur.abort.abort(new Error('lease lost to another worker'))
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
      let session: TranscodeSession | null = null
      if (this.gate.canClaim()) {
        session = await claimNextSession(this.id).catch((err) => {
          log.error({ err }, 'claim failed')
          return null
        })
      }
      if (!session) {
        await this.idle(SESSION_POLICY.pollEveryMs)
        continue
      }
      const abort = new AbortController()
      this.current = { session, abort }
      void this.beat()
      try {
        const outcome = await this.handler(session, { workerId: this.id, signal: abort.signal })
        log.info({ session: session.id, attempt: session.attempt, outcome: outcome?.kind ?? 'aborted' }, 'session attempt done')
      } catch (err) {
        log.error({ err, session: session.id }, 'session handler crashed')
      } finally {
        this.current = null
        void this.beat()
      }
    }
  }
}
