import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db, type Prisma, type Webhook, type WebhookDelivery } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { registrationRefusal } from './egress'
import { notifyDeliveries } from './enqueue'
import type {
  CreateWebhookInput,
  DeliveryErrorClass,
  DeliveryStatus,
  DeliveryView,
  ListDeliveriesQuery,
  UpdateWebhookInput,
  WebhookEvent,
  WebhookView,
} from './schemas'
import { newWebhookSecret, secretHint } from './signing'
import { pageAfter } from '@/lib/api/pagination'

// Webhook endpoints belong to one user; admins see and manage everyone's. Someone else's webhook is
// reported as missing, never as forbidden.

/** A user may register at most this many endpoints. */
export const MAX_WEBHOOKS_PER_USER = 20

export function webhookView(w: Webhook, withSecret = false): WebhookView {
  return {
    id: w.id,
    ownerId: w.ownerId,
    url: w.url,
    events: w.events as WebhookEvent[],
    active: w.active,
    createdAt: w.createdAt.toISOString(),
    secretHint: secretHint(w.secret),
    ...(withSecret ? { secret: w.secret } : {}),
  }
}

export function deliveryView(d: WebhookDelivery, withPayload = false): DeliveryView {
  const done = d.status === 'SUCCEEDED' || d.status === 'FAILED'
  return {
    id: d.id,
    webhookId: d.webhookId,
    event: d.event,
    status: d.status as DeliveryStatus,
    attempt: d.attempt,
    nextAttemptAt: done ? null : d.nextAttemptAt.toISOString(),
    responseCode: d.responseCode,
    error: d.error,
    errorClass: d.errorClass as DeliveryErrorClass | null,
    durationMs: d.durationMs,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    ...(withPayload ? { payload: d.payload } : {}),
  }
}

async function visibleWebhook(actor: Actor, id: string): Promise<Webhook> {
  const w = await db.webhook.findUnique({ where: { id } })
  if (!w || (w.ownerId !== actor.userId && !isAdmin(actor))) throw new AppError('NOT_FOUND', 'No such webhook.')
  return w
}

/** Refuses, as invalid input naming the field, a URL the worker would not be allowed to reach. */
async function assertReachable(url: string): Promise<void> {
  const refusal = await registrationRefusal(url)
  if (refusal) {
    throw new AppError('INVALID_INPUT', `url: ${refusal}`, { errors: [{ path: 'url', message: refusal }] })
  }
}

export async function createWebhook(actor: Actor, input: CreateWebhookInput): Promise<WebhookView> {
  await assertReachable(input.url)
  const count = await db.webhook.count({ where: { ownerId: actor.userId } })
  if (count >= MAX_WEBHOOKS_PER_USER) throw new AppError('CONFLICT', `At most ${MAX_WEBHOOKS_PER_USER} webhooks per user.`)
  const w = await db.webhook.create({
    data: { ownerId: actor.userId, url: input.url, events: [...new Set(input.events)], active: input.active, secret: newWebhookSecret() },
  })
  return webhookView(w, true)
}

/** The actor's webhooks, newest first; `all` (admins only) lists everyone's. */
export async function listWebhooks(actor: Actor, opts: { all?: boolean } = {}): Promise<WebhookView[]> {
  if (opts.all && !isAdmin(actor)) throw new AppError('FORBIDDEN', 'Only admins may list every webhook.')
  const rows = await db.webhook.findMany({
    where: opts.all ? {} : { ownerId: actor.userId },
    orderBy: { createdAt: 'desc' },
    take: 500,
  })
  return rows.map((w) => webhookView(w))
}

export async function getWebhook(actor: Actor, id: string): Promise<WebhookView> {
  return webhookView(await visibleWebhook(actor, id))
}

export async function updateWebhook(actor: Actor, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
  await visibleWebhook(actor, id)
  if (input.url !== undefined) await assertReachable(input.url)
  const data: Prisma.WebhookUpdateInput = {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    ...(input.rotateSecret ? { secret: newWebhookSecret() } : {}),
  }
  const w = await db.webhook.update({ where: { id }, data })
  return webhookView(w, !!input.rotateSecret)
}

/** Deletes the endpoint and its delivery history. */
export async function deleteWebhook(actor: Actor, id: string): Promise<void> {
  await visibleWebhook(actor, id)
  await db.webhook.delete({ where: { id } })
}

/** Recent deliveries of one webhook, newest first, with an opaque cursor. */
export async function listDeliveries(actor: Actor, webhookId: string, query: ListDeliveriesQuery) {
  await visibleWebhook(actor, webhookId)
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId, ...(query.status ? { status: query.status } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    ...(await pageAfter(query.cursor, (id) => db.webhookDelivery.count({ where: { id, webhookId } }))),
  })
  const page = rows.slice(0, query.limit)
  return {
    items: page.map((d) => deliveryView(d, true)),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
  }
}

/**
 * Sends a recorded delivery again as a new delivery (same event id and body, fresh attempts), so
 * the history keeps both. Works for any status: a receiver may have lost a delivery it acknowledged.
 */
export async function redeliver(actor: Actor, webhookId: string, deliveryId: string): Promise<DeliveryView> {
  await visibleWebhook(actor, webhookId)
  const original = await db.webhookDelivery.findUnique({ where: { id: deliveryId } })
  if (!original || original.webhookId !== webhookId) throw new AppError('NOT_FOUND', 'No such delivery.')
  const copy = await db.webhookDelivery.create({
    data: { webhookId, event: original.event, payload: original.payload as Prisma.InputJsonValue },
  })
  await notifyDeliveries()
  return deliveryView(copy)
}
