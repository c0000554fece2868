import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { env } from '@/lib/config/env'

// config/streaming.yaml is snake_case (the seed's shape); code sees the camelCase result of `parseStreamingConfig`.

const profile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/i, 'letters, digits, - or _ (max 32)'),
    width: z.number().int().min(16).max(7680),
    height: z.number().int().min(16).max(4320),
    bitrate: z.number().int().min(50).max(100_000),
    quality: z.number().min(0).max(51),
  })
  .strict()

const schema = z
  .object({
    streaming: z
      .object({
        segment_duration: z.number().min(1).max(20),
        startup_segments: z.array(z.number().min(0.5).max(20)).max(8).default([]),
        buffer_ahead: z.number().min(0).max(600),
        enable_abr: z.boolean(),
        profiles: z.array(profile).min(1).max(8),
        audio: z
          .object({
            bitrate: z.number().int().min(32).max(512),
            channels: z.number().int().min(1).max(2),
            sample_rate: z.union([z.literal(44100), z.literal(48000)]),
            // Source audio streams (languages) kept, each its own AAC rendition; the rest are dropped.
            max_tracks: z.number().int().min(1).max(8).default(4),
          })
          .strict()
          .default({ bitrate: 128, channels: 2, sample_rate: 48000, max_tracks: 4 }),
        encoder: z
          .object({
            preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower']),
            threads: z.number().int().min(0).max(64),
            max_fps: z.number().min(1).max(240).default(60),
            // CPU priority of FFmpeg (0-19, higher yields more): encoding is batch work, and the
            // web and realtime processes must stay responsive while it runs.
            nice: z.number().int().min(0).max(19).default(19),
          })
          .strict(),
        storage: z.object({ retention_days: z.number().int().min(0), dedup: z.boolean() }).strict(),
        limits: z
          .object({
            max_width: z.number().int().min(16).max(16384).default(7680),
            max_height: z.number().int().min(16).max(16384).default(4320),
            max_duration_s: z.number().positive(),
            max_streams: z.number().int().min(1).max(64),
            max_upload_bytes: z.number().int().positive(),
          })
          .strict(),
        direct_play_max_bytes: z.number().int().min(0),
        // Media delivery: a client that accepts no bytes for this long is dropped (nginx's send_timeout).
        idle_timeout_s: z.number().positive().max(3600).default(60),
        // Open media responses at once, in total and from one client address; past them, 503.
        max_connections: z.number().int().min(1).max(1_000_000).default(1000),
        max_connections_per_client: z.number().int().min(1).max(1_000_000).default(100),
      })
      .strict()
      .superRefine((s, ctx) => {
        const names = new Set<string>()
        s.profiles.forEach((p, i) => {
          if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['profiles', i, 'name'], message: `duplicate profile name "${p.name}"` })
          names.add(p.name)
        })
        if (s.max_connections_per_client > s.max_connections)
          ctx.addIssue({ code: 'custom', path: ['max_connections_per_client'], message: 'must not exceed max_connections' })
        s.startup_segments.forEach((d, i) => {
          if (d > s.segment_duration) ctx.addIssue({ code: 'custom', path: ['startup_segments', i], message: 'must not exceed segment_duration' })
        })
      }),
  })
  .strict()

export interface Profile {
  name: string
  width: number
  height: number
  /** kbit/s: the cap and the advertised bandwidth of the rung. */
  bitrate: number
  /** x264 CRF used under the cap. */
  quality: number
}

export interface StreamingConfig {
  segmentDuration: number
  startupSegments: number[]
  bufferAhead: number
  enableAbr: boolean
  /** Sorted by height, highest first. */
  profiles: Profile[]
  /** `maxTracks`: how many source audio streams (languages) become renditions. */
  audio: { bitrate: number; channels: number; sampleRate: number; maxTracks: number }
  encoder: { preset: string; threads: number; maxFps: number; nice?: number }
  storage: { retentionDays: number; dedup: boolean }
  limits: { maxWidth: number; maxHeight: number; maxDurationS: number; maxStreams: number; maxUploadBytes: number }
  directPlayMaxBytes: number
  delivery: { idleTimeoutS: number; maxConnections: number; maxConnectionsPerClient: number }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Validates an already-parsed YAML document. Throws ConfigError with one line naming the first bad key. */
export function parseStreamingConfig(doc: unknown, source = 'streaming config'): StreamingConfig {
  const parsed = schema.safeParse(doc)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue.path.length ? issue.path.join('.') : '(root)'
    throw new ConfigError(`invalid ${source}: ${where}: ${issue.message}`)
  }
  const s = parsed.data.streaming
  return {
    segmentDuration: s.segment_duration,
    startupSegments: s.startup_segments,
    bufferAhead: s.buffer_ahead,
    enableAbr: s.enable_abr,
    profiles: [...s.profiles].sort((a, b) => b.height - a.height || b.bitrate - a.bitrate),
    audio: { bitrate: s.audio.bitrate, channels: s.audio.channels, sampleRate: s.audio.sample_rate, maxTracks: s.audio.max_tracks },
    encoder: { preset: s.encoder.preset, threads: s.encoder.threads, maxFps: s.encoder.max_fps, nice: s.encoder.nice },
    storage: { retentionDays: s.storage.retention_days, dedup: s.storage.dedup },
    limits: {
      maxWidth: s.limits.max_width,
      maxHeight: s.limits.max_height,
      maxDurationS: s.limits.max_duration_s,
      maxStreams: s.limits.max_streams,
      maxUploadBytes: s.limits.max_upload_bytes,
    },
    directPlayMaxBytes: s.direct_play_max_bytes,
    delivery: {
      idleTimeoutS: s.idle_timeout_s,
      maxConnections: s.max_connections,
      maxConnectionsPerClient: s.max_connections_per_client,
    },
  }
}

/** Reads and validates config/streaming.yaml (or STREAMING_CONFIG, or `file`). The app uses `streamingConfig()`. */
export function loadStreamingConfig(file: string = env().STREAMING_CONFIG): StreamingConfig {
  const abs = path.resolve(/*turbopackIgnore: true*/ file)
  let text: string
  try {
    text = readFileSync(abs, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read streaming config ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  let doc: unknown
  try {
    doc = parse(text)
  } catch (err) {
    throw new ConfigError(`invalid YAML in ${file}: ${(err as Error).message.split('\n')[0]}`)
  }
  return parseStreamingConfig(doc, file)
}

let cached: StreamingConfig | undefined

/** The streaming config (STREAMING_CONFIG), read and validated once per process. */
export function streamingConfig(): StreamingConfig {
  cached ??= loadStreamingConfig()
  return cached
}
