import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { WEBHOOK_POLICY } from '@/lib/webhooks/policy'
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sessionFailedEvent, videoFailedEvent, videoReadyEvent } from '@/lib/webhooks/schemas'
import { SIGNATURE_TOLERANCE_SECONDS } from '@/lib/webhooks/signing'
import { defineOperation } from './define'
import { OPERATIONS } from './registry'

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers parse with.

export const API_VERSION = '1.0.0'

const INTRO = `Reelhouse's REST API for third parties: upload (tus, direct upload URLs), manage and play videos, follow transcode sessions, drive rooms of players, and receive webhooks.

## Authentication
Send an API key as \`Authorization: Bearer rh_…\` (create keys in the admin dashboard or with \`POST /api/v1/api-keys\`). Keys carry scopes: \`read\`, \`write\` and \`admin\` (admins only). The browser uses its session cookie instead and holds every scope its role allows. A key that is sent but unknown or revoked is refused with 401, even on public endpoints.

## Rate limits
Each API key may make a burst of requests and then a steady number per minute (default 600). Responses carry \`RateLimit-Limit\` and \`RateLimit-Remaining\`; over the limit the answer is \`429\` with \`Retry-After\` (seconds).

## Errors
Every error is RFC 9457 \`application/problem+json\` with a stable \`code\` (\`INVALID_INPUT\`, \`UNAUTHENTICATED\`, \`FORBIDDEN\`, \`NOT_FOUND\`, \`CONFLICT\`, \`RATE_LIMITED\`, …). Validation failures (422) list each field in \`errors\`. A resource the caller may not see is reported as 404, never 403.

## Pagination
Lists answer \`{ items, nextCursor }\`; pass \`cursor=<nextCursor>\` for the next page until it is null.`

const WEBHOOKS_DOC = `## Webhooks
Register endpoints with \`POST /api/v1/webhooks\`. Reelhouse POSTs JSON events (\`video.ready\`, \`video.failed\`, \`session.failed\`) shaped \`{ id, type, createdAt, data }\`. The event \`id\` stays the same across retries and redeliveries: use it to drop duplicates.

Each request carries:
- \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex>\` where the hex is HMAC-SHA256 with your endpoint's secret over \`<t>.<raw body>\`. Compute it over the exact bytes received, compare in constant time, and reject timestamps more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now.
- \`${EVENT_HEADER}\`: the event type; \`${DELIVERY_HEADER}\`: the delivery id.

Answer with any 2xx within ${WEBHOOK_POLICY.timeoutMs / 1000} s. Otherwise the delivery is retried with exponential backoff (${WEBHOOK_POLICY.backoffBaseMs / 1000} s, doubling, at most ${WEBHOOK_POLICY.backoffMaxMs / 60_000} min apart) up to ${WEBHOOK_POLICY.maxAttempts} attempts. Every attempt is recorded (\`GET /api/v1/webhooks/{id}/deliveries\`) and any delivery can be sent again (\`…/redeliver\`).`

function buildDocument() {
  const registry = new OpenAPIRegistry()
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'rh_<prefix>_<secret>',
    description: 'An API key. The scopes listed on an operation are the ones the key must hold.',
  })
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'next-auth.session-token',
    description: "The browser session of a signed-in user (holds every scope the user's role allows).",
  })
  registry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The `METRICS_TOKEN` configured on the server (Prometheus scrapes).',
  })
  for (const { operationId, op } of OPERATIONS) defineOperation(registry, { ...op, operationId })
  for (const [event, schema, summary] of [
    ['video.ready', videoReadyEvent, 'A video is ready to play'],
    ['video.failed', videoFailedEvent, 'A video failed to process'],
    ['session.failed', sessionFailedEvent, 'A transcode session failed'],
  ] as const) {
    registry.registerWebhook({
      method: 'post',
      path: event,
      operationId: `webhook_${event.replace('.', '_')}`,
      summary,
      description: `Signed with \`${SIGNATURE_HEADER}\` (see the introduction).`,
      tags: ['Webhooks'],
      request: {
        headers: undefined,
        body: { required: true, content: { 'application/json': { schema } } },
      },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery; anything else is retried.' } },
    })
  }
  const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Reelhouse API',
      version: API_VERSION,
      description: `${INTRO}\n\n${WEBHOOKS_DOC}`,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      { name: 'Videos', description: 'Upload, list, update, delete and play videos.' },
      { name: 'Captions', description: "A video's text tracks (WebVTT, SRT converted) and its own manifests that carry them." },
      { name: 'History', description: 'Where the caller left off in each video: resume, watch history.' },
      { name: 'Uploads', description: 'Resumable uploads (tus 1.0) and direct upload URLs.' },
      { name: 'Sessions', description: 'Transcode sessions: status, health, log, retry, cancel.' },
      { name: 'Content', description: 'Stored bytes by SHA-256: info, original, manifests, segments.' },
      { name: 'Playlists', description: 'Ordered lists of videos.' },
      { name: 'Rooms', description: 'Server-side playback state that players follow; send commands over REST or socket.io.' },
      { name: 'Webhooks', description: 'Endpoints that receive signed events.' },
      { name: 'API keys', description: 'Self-service keys.' },
      { name: 'Users', description: 'Accounts (management is admin only).' },
      { name: 'Admin', description: "The dashboard's data: health monitor, workers, players, all videos, session operations." },
      { name: 'System', description: 'Health, this document and metrics.' },
    ],
  })
  return doc
}

let cached: ReturnType<typeof buildDocument> | undefined

/** The document (built once per process; it depends only on code). */
export function openApiDocument(): ReturnType<typeof buildDocument> {
  cached ??= buildDocument()
  return cached
}
