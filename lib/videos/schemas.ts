import { z } from 'zod'

export const visibilitySchema = z.enum(['PUBLIC', 'UNLISTED', 'PRIVATE'])

export const videoMetadataInput = z.object({
  title: z.string().trim().min(1, 'a title is required').max(200),
  description: z.string().trim().max(5000).default(''),
  visibility: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(visibilitySchema)
    .default('PUBLIC'),
})
export type VideoMetadata = z.infer<typeof videoMetadataInput>

export const videoIdParams = z.object({ id: z.string().min(1).max(64) })
