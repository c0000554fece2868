import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { plainText } from '@/lib/validation/text'
import { findEditableVideo } from '@/lib/videos/access'
import { languageName, languageTag } from './language'
import { videoMediaPaths } from './urls'
import { decodeCaptionBytes, sanitizeCaptions } from './webvtt'

/** Largest caption file taken (a feature film's subtitles are ~100 KB). */
export const MAX_CAPTION_BYTES = 1024 * 1024
/** Text tracks one video may have. */
export const MAX_CAPTIONS_PER_VIDEO = 50

export const captionKindSchema = z.enum(['subtitles', 'captions'])

export const captionFieldsInput = z.object({
  language: languageTag,
  label: plainText({ max: 100 }).optional(),
  kind: captionKindSchema.default('subtitles'),
})

type CaptionRow = { id: string; videoId: string; language: string; label: string; kind: 'SUBTITLES' | 'CAPTIONS'; sourceStream: number | null; createdAt: Date }

export function captionView(c: CaptionRow) {
  return {
    id: c.id,
    language: c.language,
    label: c.label,
    kind: c.kind === 'CAPTIONS' ? ('captions' as const) : ('subtitles' as const),
    url: videoMediaPaths(c.videoId).track(c.id),
    source: c.sourceStream === null ? ('upload' as const) : ('embedded' as const),
    createdAt: c.createdAt.toISOString(),
  }
}

export type CaptionView = ReturnType<typeof captionView>

const listSelect = { id: true, videoId: true, language: true, label: true, kind: true, sourceStream: true, createdAt: true } as const

/** A video's text tracks in the order they were added (no WebVTT bodies). */
export function captionRows(videoId: string) {
  return db.caption.findMany({ where: { videoId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: listSelect })
}

/** Adds an uploaded WebVTT or SRT file as a text track of the video (owner or admin). */
export async function addCaption(actor: Actor, videoId: string, file: Uint8Array, fields: Record<string, string>): Promise<CaptionView> {
  await findEditableVideo(actor, videoId)
  const input = captionFieldsInput.parse(fields)
  const { vtt } = sanitizeCaptions(decodeCaptionBytes(file))
  const created = await db.$transaction(async (tx) => {
    if ((await tx.caption.count({ where: { videoId } })) >= MAX_CAPTIONS_PER_VIDEO) {
      throw new AppError('CONFLICT', `A video has at most ${MAX_CAPTIONS_PER_VIDEO} text tracks; delete one first.`)
    }
    return tx.caption.create({
      data: {
        videoId,
        language: input.language,
        label: input.label || languageName(input.language),
        kind: input.kind === 'captions' ? 'CAPTIONS' : 'SUBTITLES',
        vtt,
      },
      select: listSelect,
    })
  })
  return captionView(created)
}

export async function deleteCaption(actor: Actor, videoId: string, captionId: string): Promise<void> {
  await findEditableVideo(actor, videoId)
  const { count } = await db.caption.deleteMany({ where: { id: captionId, videoId } })
  if (count === 0) throw new AppError('NOT_FOUND', 'No such caption.')
}

/** The stored WebVTT of one track of the video, or 404. */
export async function captionText(videoId: string, captionId: string): Promise<{ vtt: string; language: string }> {
  const row = await db.caption.findFirst({ where: { id: captionId, videoId }, select: { vtt: true, language: true } })
  if (!row) throw new AppError('NOT_FOUND', 'No such caption.')
  return row
}
