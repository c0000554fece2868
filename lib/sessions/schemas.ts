import { z } from 'zod'
import { SessionState } from './states'

// Response shapes of the sessions API.

export const sessionStatusSchema = z
  .object({
    id: z.string(),
    state: z.enum(SessionState),
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
    worker: z.object({ id: z.string(), host: z.string(), pid: z.int(), cpu: z.number(), rssBytes: z.number(), heartbeatAt: z.iso.datetime() }).nullable(),
    lastEventAt: z.iso.datetime().nullable(),
    stalled: z.boolean(),
  })
  .meta({ id: 'SessionHealth' })
