import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { findEditableVideo, findViewableVideo } from './access'
import { videoMetadataInput, visibilitySchema } from './schemas'

export const updateVideoInput = z
  .object({
    title: videoMetadataInput.shape.title.optional(),
    description: videoMetadataInput.shape.description.unwrap().optional(),
    visibility: visibilitySchema.optional(),
    downloadable: z.boolean().optional().meta({ description: 'Offer the original for download (`playback.download`).' }),
  })
  .strict()

export async function updateVideo(actor: Actor, id: string, input: z.infer<typeof updateVideoInput>) {
  const video = await findEditableVideo(actor, id)
  // A visibility change re-checks every playback token handed out before it (playback-grant.ts).
  const revisit = input.visibility !== undefined && input.visibility !== video.visibility
  await db.video.update({ where: { id }, data: { ...input, ...(revisit ? { tokenEpoch: { increment: 1 } } : {}) } })
}

/** Deletes the video; its content stays while another video references it, else it is swept after retention. */
export async function deleteVideo(actor: Actor, id: string): Promise<void> {
  const video = await findEditableVideo(actor, id)
  await db.$transaction(async (tx) => {
    await tx.video.delete({ where: { id } })
    const others = await tx.video.count({ where: { contentHash: video.contentHash } })
    if (others === 0) await tx.content.update({ where: { hash: video.contentHash }, data: { orphanedAt: new Date() } })
  })
}

/** Counts one view of a video the caller may see; returns the new total. */
export async function countView(actor: Actor | null, id: string): Promise<number> {
  await findViewableVideo(actor, id)
  const { views } = await db.video.update({ where: { id }, data: { views: { increment: 1 } }, select: { views: true } })
  return views
}
