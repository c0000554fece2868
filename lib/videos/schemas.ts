import { z } from 'zod'
import { watchProgressSchema } from '@/lib/history/schemas'
import { plainText } from '@/lib/validation/text'

export const visibilitySchema = z.enum(['PUBLIC', 'UNLISTED', 'PRIVATE'])

export const videoMetadataInput = z.object({
  title: plainText({ min: 1, max: 200 }),
  description: plainText({ max: 5000, multiline: true }).default(''),
  visibility: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(visibilitySchema)
    .default('PUBLIC'),
})
export type VideoMetadata = z.infer<typeof videoMetadataInput>

// Response shapes (kept loose: extra fields allowed, so a new field does not make the document lie).

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
    downloadable: z.boolean().meta({ description: 'The owner offers the original for download.' }),
  })
  .meta({ id: 'VideoSummary' })

export const videoPageSchema = z
  .object({
    items: z.array(videoSummarySchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'VideoPage' })

export const playbackUrlsSchema = z
  .object({
    direct: z.string().meta({ description: 'The original file (range requests).' }),
    download: z.string().nullable().meta({
      description: 'When the owner allows it: the original as an attachment named after the title; null otherwise.',
    }),
    hls: z.string().nullable().meta({ description: "The video's own HLS master playlist: the content's streams plus its text tracks (SUBTITLES group)." }),
    dash: z.string().nullable().meta({ description: "The video's own MPD: the content's streams plus a text AdaptationSet per track." }),
    captions: z
      .array(z.object({ id: z.string(), language: z.string(), label: z.string(), kind: z.enum(['subtitles', 'captions']), src: z.string() }))
      .meta({ description: 'Its text tracks as WebVTT URLs (carrying the token a private video needs), for players that add them themselves.' }),
    chapters: z.string().nullable().meta({ description: 'Its chapters as a WebVTT chapters track; null when it has none.' }),
    poster: z
      .string()
      .nullable()
      .meta({ description: "The poster image: the owner's choice (`PUT /api/v1/videos/{id}/poster`) or the generated one; its URL changes with the choice." }),
    thumbnails: z
      .array(z.string())
      .meta({ description: 'The generated thumbnails (spread over the video), once ready; `thumbnailIndex` 1… picks one as the poster.' }),
    storyboard: z.string().nullable(),
    directPlayable: z
      .boolean()
      .nullable()
      .meta({ description: 'Whether browsers play the original by URL (from its probed container and codecs); null until probed.' }),
    mimeCodecs: z.string().nullable().meta({
      description:
        'The original\'s type with RFC 6381 codecs, e.g. `video/mp4; codecs="avc1.64001f, mp4a.40.2"`, for `MediaSource.isTypeSupported`; null until probed.',
    }),
  })
  .meta({ id: 'PlaybackUrls', description: 'Absolute paths; private videos carry a playback token in the path.' })

export const audioTrackSchema = z
  .object({
    language: z.string().meta({ description: 'BCP 47 tag, `und` when the source does not say.' }),
    label: z.string().meta({ description: 'The HLS NAME: the source title, else the language in its own words.' }),
    default: z.boolean().meta({ description: "The source's default disposition (players prefer such a track, then the viewer's language)." }),
  })
  .meta({ id: 'AudioTrack' })

export const videoSchema = videoSummarySchema
  .extend({
    sessionId: z.string().nullable(),
    progress: z.number().meta({ description: '0…1' }),
    error: z.string().optional(),
    sizeBytes: z.number(),
    renditions: z.array(z.object({ name: z.string(), kind: z.string(), width: z.int(), height: z.int(), bitrate: z.int(), codecs: z.string() })),
    audioTracks: z.array(audioTrackSchema).meta({
      description: 'Audio languages in manifest order (HLS audio group, DASH audio sets); empty for a silent video or until probed.',
    }),
    playback: playbackUrlsSchema,
    captions: z
      .array(z.object({ id: z.string(), language: z.string(), label: z.string(), kind: z.enum(['subtitles', 'captions']), url: z.string() }).loose())
      .meta({ description: 'Its text tracks (as `GET /api/v1/videos/{id}/captions` lists them).' }),
    chapters: z
      .array(z.object({ startMs: z.int(), title: z.string() }))
      .meta({ description: 'Set with `PUT /api/v1/videos/{id}/chapters`, else read from the description (`00:00 Intro` lines).' }),
    canEdit: z.boolean(),
    watchProgress: watchProgressSchema,
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
