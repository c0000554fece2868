import { z } from 'zod'

// Shapes of the watch history's requests and answers (zod only: the player imports them too).

/** Longest position or duration accepted (a week of media): anything beyond is a client bug. */
const MAX_MS = 7 * 24 * 3600 * 1000

export const saveProgressInput = z
  .object({
    positionMs: z.int().min(0).max(MAX_MS),
    durationMs: z
      .int()
      .min(1)
      .max(MAX_MS)
      .optional()
      .meta({ description: "The media's duration as the player knows it (the history shows the probed one otherwise)." }),
  })
  .strict()
export type SaveProgressInput = z.infer<typeof saveProgressInput>

export const watchProgressSchema = z
  .object({ positionMs: z.int(), updatedAt: z.iso.datetime() })
  .nullable()
  .meta({ id: 'WatchProgress', description: 'Where the caller left off (signed-in callers with a saved position); null otherwise.' })
export type WatchProgressView = z.infer<typeof watchProgressSchema>
