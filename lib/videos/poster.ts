import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { framePath, thumbnailPath } from '@/lib/content/layout'
import { contentStore } from '@/lib/content/store'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { dropPosterRender, requestPosterRender } from '@/lib/queue/posters'
import { findEditableVideo } from './access'

// The owner's poster choice: one of the storyboard thumbnails the pipeline made (at once), or the
// frame at a time of their choosing (rendered by a worker; the poster URL changes when it is done).

export const posterChoiceInput = z
  .union([
    z.object({ atMs: z.int().min(0).meta({ description: 'A time inside the video, in milliseconds: that frame becomes the poster.' }) }).strict(),
    z.object({ thumbnailIndex: z.int().min(1).max(999).meta({ description: 'One of the generated thumbnails, from 1.' }) }).strict(),
  ])
  .meta({ id: 'PosterChoice' })
export type PosterChoice = z.infer<typeof posterChoiceInput>

export const posterChoiceResult = z
  .object({
    state: z
      .enum(['done', 'rendering'])
      .meta({ description: "`rendering`: a worker is making the frame; the video's `playback.poster` changes when it is done." }),
  })
  .meta({ id: 'PosterChoiceResult' })

const invalid = (path: string, message: string) => new AppError('INVALID_INPUT', 'The request did not validate.', { errors: [{ path, message }] })

const stored = async (hash: string, relPath: string) => !!(await contentStore().head(hash, relPath))

export async function choosePoster(actor: Actor, id: string, choice: PosterChoice): Promise<z.infer<typeof posterChoiceResult>> {
  const video = await findEditableVideo(actor, id)
  const content = await db.content.findUniqueOrThrow({ where: { hash: video.contentHash }, select: { state: true, durationMs: true } })
  if (content.state !== 'STORED') throw new AppError('CONFLICT', 'The poster can be chosen once the video is processed.')
  if ('thumbnailIndex' in choice) {
    const rel = thumbnailPath(choice.thumbnailIndex)
    if (!(await stored(video.contentHash, rel))) throw invalid('thumbnailIndex', `this video has no thumbnail ${choice.thumbnailIndex}`)
    await dropPosterRender(id)
    await db.video.update({ where: { id }, data: { posterPath: rel } })
    return { state: 'done' }
  }
  const durationMs = content.durationMs ?? 0
  if (choice.atMs >= durationMs) throw invalid('atMs', `must be inside the video: 0 to ${Math.max(0, durationMs - 1)} ms`)
  // Frames are named by their time, so one already made (for this or another video of the same content) is reused.
  const rel = framePath(choice.atMs)
  if (await stored(video.contentHash, rel)) {
    await dropPosterRender(id)
    await db.video.update({ where: { id }, data: { posterPath: rel } })
    return { state: 'done' }
  }
  await requestPosterRender(id, choice.atMs)
  return { state: 'rendering' }
}
