import { z } from 'zod'
import { idString } from '@/lib/validation/text'

// Zod schemas of the webhooks API and of the events it delivers. The route handlers parse with
// these and the OpenAPI document is generated from them (lib/openapi).

export const WEBHOOK_EVENTS = ['video.ready', 'video.failed', 'session.failed'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]
export const webhookEventSchema = z.enum(WEBHOOK_EVENTS).meta({ id: 'WebhookEventType' })

/** Where a delivery stands: waiting (first try or a retry), in flight, done, or given up. */
export const DELIVERY_STATUSES = ['PENDING', 'SENDING', 'SUCCEEDED', 'FAILED'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/**
 * Why an attempt failed: `refused` (the destination is not allowed: scheme, port, or an internal
 * address), `dns`, `connection`, `tls`, `timeout`, `http_status` (the receiver answered, not 2xx;
 * redirects are not followed), `disabled` (the webhook was switched off).
 */
export const DELIVERY_ERROR_CLASSES = ['refused', 'dns', 'connection', 'tls', 'timeout', 'http_status', 'disabled'] as const
export type DeliveryErrorClass = (typeof DELIVERY_ERROR_CLASSES)[number]

const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .meta({ description: 'An http(s) URL that accepts POST requests with a JSON body.', example: 'https://example.com/hooks/reelhouse' })

export const createWebhookInput = z
  .object({
    url: webhookUrl,
    events: z
      .array(webhookEventSchema)
      .min(1)
      .max(WEBHOOK_EVENTS.length)
      .default([...WEBHOOK_EVENTS]),
    active: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'CreateWebhookInput' })
export type CreateWebhookInput = z.infer<typeof createWebhookInput>

export const updateWebhookInput = z
  .object({
    url: webhookUrl.optional(),
    events: z.array(webhookEventSchema).min(1).max(WEBHOOK_EVENTS.length).optional(),
    active: z.boolean().optional(),
    /** Issue a new signing secret (returned once in the response); the old one stops working at once. */
    rotateSecret: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'UpdateWebhookInput' })
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>

export const listWebhooksQuery = z.object({
  /** Admins only: every user's webhooks. */
  all: z.stringbool().default(false),
})

export const listDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: idString().optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
})
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuery>

export const webhookSchema = z
  .object({
    id: z.string(),
    ownerId: z.string(),
    url: z.string(),
    events: z.array(webhookEventSchema),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    /** The secret's first characters, to tell secrets apart. */
    secretHint: z.string(),
    /** The signing secret: only in the response that created or rotated it. */
    secret: z.string().optional(),
  })
  .meta({ id: 'Webhook' })
export type WebhookView = z.infer<typeof webhookSchema>

export const deliverySchema = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    event: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempt: z.int().meta({ description: 'Attempts made so far.' }),
    nextAttemptAt: z.iso.datetime().nullable().meta({ description: 'When the next attempt is due (null once done).' }),
    responseCode: z.int().nullable(),
    error: z.string().nullable().meta({ description: "What the last attempt met, in a few words (never the answer's body)." }),
    errorClass: z.enum(DELIVERY_ERROR_CLASSES).nullable().meta({ id: 'WebhookDeliveryErrorClass' }),
    durationMs: z.int().nullable().meta({ description: "Time of the last attempt until the answer's status arrived." }),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    payload: z.unknown().optional().meta({ description: 'The event body as sent (detail views only).' }),
  })
  .meta({ id: 'WebhookDelivery' })
export type DeliveryView = z.infer<typeof deliverySchema>

export const deliveryPageSchema = z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() }).meta({ id: 'WebhookDeliveryPage' })

// ---- Event bodies (what receivers get) ----

export const webhookVideo = z
  .object({
    id: z.string(),
    title: z.string(),
    visibility: z.enum(['PUBLIC', 'UNLISTED', 'PRIVATE']),
    status: z.enum(['processing', 'ready', 'failed']),
    contentHash: z.string(),
    durationMs: z.int().nullable(),
    width: z.int().nullable(),
    height: z.int().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookVideo' })

export const webhookSession = z
  .object({
    id: z.string(),
    state: z.string(),
    attempt: z.int(),
    error: z.string().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'WebhookSession' })

const envelope = <T extends WebhookEvent, D extends z.ZodType>(type: T, data: D, description: string) =>
  z
    .object({
      id: z.string().meta({ description: 'Event id: the same on every retry and redelivery, so receivers can drop duplicates.' }),
      type: z.literal(type),
      createdAt: z.iso.datetime(),
      data,
    })
    .meta({ description })

export const videoReadyEvent = envelope(
  'video.ready',
  z.object({ video: webhookVideo, session: webhookSession.nullable() }),
  'A video finished processing and can be played.',
).meta({ id: 'VideoReadyEvent' })
export const videoFailedEvent = envelope(
  'video.failed',
  z.object({ video: webhookVideo, session: webhookSession }),
  'Processing of a video failed for good (retries exhausted or cancelled).',
).meta({ id: 'VideoFailedEvent' })
export const sessionFailedEvent = envelope(
  'session.failed',
  z.object({ session: webhookSession, contentHash: z.string(), videoIds: z.array(z.string()) }),
  'A transcode session failed for good.',
).meta({ id: 'SessionFailedEvent' })

export const SIGNATURE_HEADER = 'Reelhouse-Signature'
export const EVENT_HEADER = 'Reelhouse-Event'
export const DELIVERY_HEADER = 'Reelhouse-Delivery'
