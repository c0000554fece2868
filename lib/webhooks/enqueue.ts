import { createHash, randomBytes } from 'node:crypto'
import { db, type Prisma } from '@/lib/db'
import { log } from '@/lib/log'
import { WEBHOOK_CHANNEL } from './policy'
import type { WebhookEvent } from './schemas'

type Tx = Prisma.TransactionClient

export interface EnqueueOptions {
  ownerId: string
  event: WebhookEvent
  /** The event's `data` (the envelope with id, type and createdAt is added here). */
  payload: Record<string, unknown>
  /**
   * Idempotency key: enqueueing the same key twice creates the deliveries once (e.g.
   * `video.ready:<videoId>:<sessionId>`), so a step that runs again after a crash does not notify twice.
   */
  key?: string
  /** Enqueue inside the caller's transaction: deliveries exist only if it commits. */
  tx?: Tx
}

const hashId = (prefix: string, ...parts: string[]) => `${prefix}_${createHash('sha256').update(parts.join('\0')).digest('base64url').slice(0, 24)}`

/**
 * Records one delivery per active webhook of `ownerId` subscribed to `event`, and wakes the
 * delivery loops. Returns the number of deliveries created. Sending happens in the worker
 * (startWebhookDeliveries), never on the caller's path.
 */
export async function enqueueWebhookEvent(opts: EnqueueOptions): Promise<number> {
  const client = opts.tx ?? db
  const hooks = await client.webhook.findMany({
    where: { ownerId: opts.ownerId, active: true, events: { has: opts.event } },
    select: { id: true },
  })
  if (hooks.length === 0) return 0
  const eventId = opts.key ? hashId('evt', opts.key) : `evt_${randomBytes(12).toString('base64url')}`
  const envelope = { id: eventId, type: opts.event, createdAt: new Date().toISOString(), data: opts.payload }
  const { count } = await client.webhookDelivery.createMany({
    data: hooks.map((h) => ({
      // With a key the delivery id is derived from it: a second enqueue collides and is skipped.
      ...(opts.key ? { id: hashId('whd', opts.key, h.id) } : {}),
      webhookId: h.id,
      event: opts.event,
      payload: envelope as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
  })
  if (count > 0) await notifyDeliveries(client)
  return count
}

/** Wakes every delivery loop (NOTIFY is sent at commit when called inside a transaction). */
export async function notifyDeliveries(client: Tx | typeof db = db): Promise<void> {
  await client.$executeRawUnsafe(`NOTIFY ${WEBHOOK_CHANNEL}`).catch((err: unknown) => log.warn({ err }, 'webhook notify failed'))
}
