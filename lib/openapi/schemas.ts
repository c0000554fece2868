import { z } from 'zod'
import { roomStateSchema } from '@/lib/realtime/protocol'
import { visibilitySchema } from '@/lib/videos/schemas'

// Response shapes of routes whose handlers return plain objects (their inputs are parsed with the
// owners' zod schemas, imported directly in ./paths). Kept loose (extra fields allowed) so a new
// field in a handler does not make the document lie; the check-params suite reads real responses.

export const problemSchema = z
  .object({
    type: z.string().meta({ example: 'about:blank' }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    code: z.enum([
      'INVALID_INPUT',
      'BAD_REQUEST',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'TOO_LARGE',
      'UNSUPPORTED_MEDIA',
      'RANGE_NOT_SATISFIABLE',
      'RATE_LIMITED',
      'UNAVAILABLE',
      'INTERNAL',
    ]),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Validation failures, one per field (422 only).' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details. `code` is stable; `detail` is for people.' })

const owner = z.object({ id: z.string(), name: z.string() })
const status = z.enum(['processing', 'ready', 'failed'])

export const videoSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    visibility: visibilitySchema,
    owner,
    views: z.int(),
    createdAt: z.iso.datetime(),
    status,
    contentHash: z.string(),
    durationMs: z.int().nullable(),
    width: z.int().nullable(),
    height: z.int().nullable(),
    poster: z.string().nullable().optional().meta({ description: 'Poster image once ready (list items).' }),
  })
  .meta({ id: 'VideoSummary' })

export const videoPageSchema = z
  .object({ items: z.array(videoSummarySchema), nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }) })
  .meta({ id: 'VideoPage' })

export const playbackUrlsSchema = z
  .object({
    direct: z.string().meta({ description: 'The original file (range requests).' }),
    hls: z.string().nullable(),
    dash: z.string().nullable(),
    poster: z.string().nullable(),
    storyboard: z.string().nullable(),
    directPlayable: z.boolean().nullable().meta({ description: 'Whether browsers play the original by URL (from its probed container and codecs); null until probed.' }),
    mimeCodecs: z.string().nullable().meta({ description: 'The original\'s type with RFC 6381 codecs, e.g. `video/mp4; codecs="avc1.64001f, mp4a.40.2"`, for `MediaSource.isTypeSupported`; null until probed.' }),
  })
  .meta({ id: 'PlaybackUrls', description: 'Absolute paths; private videos carry a playback token in the path.' })

export const videoSchema = videoSummarySchema
  .extend({
    sessionId: z.string().nullable(),
    progress: z.number().meta({ description: '0…1' }),
    error: z.string().optional(),
    sizeBytes: z.number(),
    renditions: z.array(
      z.object({ name: z.string(), kind: z.string(), width: z.int(), height: z.int(), bitrate: z.int(), codecs: z.string() }),
    ),
    playback: playbackUrlsSchema,
    canEdit: z.boolean(),
    deduplicated: z.boolean().optional().meta({ description: 'Upload responses only: the bytes were stored already.' }),
  })
  .meta({ id: 'Video' })

export const uploadFormSchema = z
  .object({
    file: z.string().meta({ format: 'binary', description: 'The video file (last part of the form).' }),
    title: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    visibility: visibilitySchema.optional(),
  })
  .meta({ id: 'UploadForm' })

export const playbackTokenSchema = z
  .object({
    token: z.string(),
    expiresAt: z.iso.datetime(),
    contentHash: z.string(),
    urls: z.object({ direct: z.string(), hls: z.string().nullable(), dash: z.string().nullable() }),
  })
  .meta({ id: 'PlaybackToken' })

export const sessionStatusSchema = z
  .object({
    id: z.string(),
    state: z.enum(['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'STORED', 'FAILED', 'CANCELLED']),
    contentHash: z.string(),
    progress: z.number(),
    attempt: z.int(),
    maxAttempts: z.int(),
    fallback: z.boolean().meta({ description: 'Encoding fell back to a lower top rung.' }),
    error: z.string().nullable(),
    runAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'SessionStatus' })

export const sessionHealthSchema = sessionStatusSchema
  .extend({
    encodeSpeed: z.number().nullable(),
    segmentsReady: z.int(),
    segmentsTotal: z.int(),
    lease: z.object({ owner: z.string().nullable(), expiresAt: z.iso.datetime().nullable() }),
    worker: z
      .object({ id: z.string(), host: z.string(), pid: z.int(), cpu: z.number(), rssBytes: z.number(), heartbeatAt: z.iso.datetime() })
      .nullable(),
    lastEventAt: z.iso.datetime().nullable(),
    stalled: z.boolean(),
  })
  .meta({ id: 'SessionHealth' })

export const contentInfoSchema = z
  .object({
    hash: z.string(),
    state: z.enum(['UPLOADED', 'PROCESSING', 'STORED', 'FAILED']),
    sizeBytes: z.number(),
    mime: z.string(),
    durationMs: z.int().nullable(),
    width: z.int().nullable(),
    height: z.int().nullable(),
    probe: z.unknown().meta({ description: 'ffprobe facts recorded at ingest.' }),
    error: z.string().nullable(),
    storedAt: z.iso.datetime().nullable(),
    renditions: z.array(z.object({ name: z.string(), kind: z.string(), width: z.int(), height: z.int(), bitrate: z.int(), codecs: z.string(), bytes: z.number(), segments: z.int() })),
    totalBytes: z.number(),
  })
  .meta({ id: 'ContentInfo' })

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.enum(['ok', 'down']),
    workers: z.array(
      z.object({ id: z.string(), host: z.string(), pid: z.int(), heartbeatAt: z.iso.datetime(), currentSessionId: z.string().nullable(), breakerOpen: z.boolean() }),
    ),
    reason: z.string().optional(),
  })
  .meta({ id: 'Health' })

export const roomSchema = roomStateSchema
  .extend({ ownerId: z.string(), personal: z.boolean() })
  .meta({ id: 'Room', description: 'A room\'s authoritative playback state. `updatedAt` is server epoch ms; while playing, the position advances from `positionMs` at `rate`.' })

export const playlistItemSchema = z.object({
  position: z.int(),
  videoId: z.string(),
  title: z.string(),
  visibility: visibilitySchema,
})

export const playlistSchema = z
  .object({ id: z.string(), ownerId: z.string(), name: z.string(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime(), items: z.array(playlistItemSchema) })
  .meta({ id: 'Playlist' })

export const playlistSummarySchema = z
  .object({ id: z.string(), ownerId: z.string(), name: z.string(), itemCount: z.int(), updatedAt: z.iso.datetime() })
  .meta({ id: 'PlaylistSummary' })

export const commandResultSchema = z
  .object({
    ok: z.literal(true),
    seq: z.int().meta({ description: 'The room sequence number assigned to the command.' }),
    state: roomStateSchema.meta({ description: 'The room state after the command.' }),
    delivered: z.boolean().meta({ description: 'Whether it was broadcast to connected players (false where no realtime server runs).' }),
    serverReceivedAt: z.number().meta({ description: 'Server epoch ms.' }),
    serverSentAt: z.number().meta({ description: 'Server epoch ms.' }),
  })
  .meta({ id: 'CommandResult' })

export const itemsOf = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item) }).meta({ id })
