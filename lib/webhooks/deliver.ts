import pg from 'pg'
import { env } from '@/lib/config/env'
import { db, type WebhookDelivery } from '@/lib/db'
import { log as rootLog } from '@/lib/log'
import { type AttemptResult, attemptDelivery } from './attempt'
import { type EgressPolicy, egressPolicy } from './egress'
import { WEBHOOK_CHANNEL, WEBHOOK_POLICY, type WebhookPolicy, webhookBackoffMs } from './policy'
import { DELIVERY_HEADER, type DeliveryErrorClass, EVENT_HEADER, SIGNATURE_HEADER } from './schemas'
import { signWebhookBody } from './signing'

const log = rootLog.child({ c: 'webhooks' })

export interface DeliveryOutcome {
  id: string
  status: 'SUCCEEDED' | 'PENDING' | 'FAILED'
  responseCode: number | null
  errorClass: DeliveryErrorClass | null
  error: string | null
}

/**
 * Claims due deliveries (PENDING whose time has come, or SENDING whose worker died) with
 * FOR UPDATE SKIP LOCKED, so any number of workers share the table without sending one twice.
 * The claim counts the attempt and leases the row until `leaseMs` from now.
 */
export async function claimDueDeliveries(limit: number, leaseMs: number = WEBHOOK_POLICY.leaseMs): Promise<WebhookDelivery[]> {
  return db.$queryRaw<WebhookDelivery[]>`
    UPDATE "WebhookDelivery" SET status = 'SENDING', attempt = attempt + 1,
      "nextAttemptAt" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id IN (
      SELECT id FROM "WebhookDelivery"
      WHERE status IN ('PENDING', 'SENDING') AND "nextAttemptAt" <= now()
      ORDER BY "nextAttemptAt"
      FOR UPDATE SKIP LOCKED
      LIMIT ${limit})
    RETURNING *`
}

/**
 * POSTs one claimed delivery and records the outcome (success, retry with backoff, or given up).
 * A destination the egress policy refuses fails at once: retrying cannot change the answer, and a
 * refusal reads the same whatever listens there.
 */
export async function sendDelivery(
  d: WebhookDelivery,
  policy: WebhookPolicy = WEBHOOK_POLICY,
  egress: EgressPolicy = egressPolicy(),
): Promise<DeliveryOutcome> {
  const hook = await db.webhook.findUnique({ where: { id: d.webhookId } })
  if (!hook) return { id: d.id, status: 'FAILED', responseCode: null, errorClass: null, error: 'webhook deleted' }
  let result: AttemptResult
  if (!hook.active) {
    result = { responseCode: null, errorClass: 'disabled', error: 'webhook is disabled', durationMs: 0 }
  } else {
    const body = JSON.stringify(d.payload)
    result = await attemptDelivery({
      url: hook.url,
      body,
      policy: egress,
      timeoutMs: policy.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Reelhouse-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhookBody(hook.secret, body),
        [EVENT_HEADER]: d.event,
        [DELIVERY_HEADER]: d.id,
      },
    })
  }
  const { responseCode, errorClass, error, durationMs } = result
  const final = d.attempt >= policy.maxAttempts || errorClass === 'disabled' || errorClass === 'refused'
  const outcome: DeliveryOutcome = {
    id: d.id,
    status: errorClass === null ? 'SUCCEEDED' : final ? 'FAILED' : 'PENDING',
    responseCode,
    errorClass,
    error,
  }
  // updateMany: the webhook (and with it this delivery) may have been deleted while we sent it.
  await db.webhookDelivery.updateMany({
    where: { id: d.id },
    data: {
      status: outcome.status,
      responseCode,
      error,
      errorClass,
      durationMs,
      ...(outcome.status === 'SUCCEEDED' ? { deliveredAt: new Date() } : {}),
      ...(outcome.status === 'PENDING' ? { nextAttemptAt: new Date(Date.now() + webhookBackoffMs(d.attempt, policy)) } : {}),
    },
  })
  if (outcome.status !== 'SUCCEEDED') log.info({ delivery: d.id, attempt: d.attempt, errorClass, error, status: outcome.status }, 'webhook delivery failed')
  return outcome
}

/** One pass: claims up to `concurrency` due deliveries and sends them. Returns what happened. */
export async function deliverDueWebhooks(policy: WebhookPolicy = WEBHOOK_POLICY): Promise<DeliveryOutcome[]> {
  const claimed = await claimDueDeliveries(policy.concurrency, policy.leaseMs)
  return Promise.all(
    claimed.map((d) =>
      sendDelivery(d, policy).catch((err) => {
        log.error({ err, delivery: d.id }, 'webhook delivery crashed')
        return { id: d.id, status: 'PENDING' as const, responseCode: null, errorClass: null, error: 'internal error' }
      }),
    ),
  )
}

/**
 * The delivery loop the worker process runs: sends due deliveries, sleeps until NOTIFY
 * (enqueueWebhookEvent) or the poll interval, and stops when `signal` aborts, after the deliveries
 * in flight are recorded. Resolves once stopped.
 */
export async function startWebhookDeliveries(opts: { signal: AbortSignal; databaseUrl?: string; policy?: Partial<WebhookPolicy> }): Promise<void> {
  const policy: WebhookPolicy = { ...WEBHOOK_POLICY, ...opts.policy }
  let wake: (() => void) | null = null
  const listener = await listen(opts.databaseUrl ?? env().DATABASE_URL, () => wake?.())
  const onAbort = () => wake?.()
  opts.signal.addEventListener('abort', onAbort)
  try {
    while (!opts.signal.aborted) {
      const done = await deliverDueWebhooks(policy).catch((err) => {
        log.error({ err }, 'webhook pass failed')
        return []
      })
      // A full batch means more are probably due: go again without sleeping.
      if (done.length >= policy.concurrency || opts.signal.aborted) continue
      await new Promise<void>((resolve) => {
        const t = setTimeout(finish, policy.pollEveryMs)
        function finish() {
          clearTimeout(t)
          wake = null
          resolve()
        }
        wake = finish
      })
    }
  } finally {
    opts.signal.removeEventListener('abort', onAbort)
    await listener?.end().catch(() => {})
  }
}

/** LISTEN on the webhook channel; null (polling only) when the connection cannot be made. */
async function listen(databaseUrl: string | undefined, onNotify: () => void): Promise<pg.Client | null> {
  if (!databaseUrl) return null
  const client = new pg.Client({ connectionString: databaseUrl })
  client.on('error', (err) => log.warn({ err: err.message }, 'webhook listen connection lost; polling only'))
  client.on('notification', (msg) => {
    if (msg.channel === WEBHOOK_CHANNEL) onNotify()
  })
  try {
    await client.connect()
    await client.query(`LISTEN ${WEBHOOK_CHANNEL}`)
    return client
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'cannot listen for webhooks; polling only')
    await client.end().catch(() => {})
    return null
  }
}
