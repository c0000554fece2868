import { z } from 'zod'
import { idString, plainText } from '@/lib/validation/text'

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

export const videoIdParams = z.object({ id: idString() })
