import { json, route } from '@/lib/api/route'
import { receiveMultipart } from '@/lib/uploads/multipart'
import { maxUploadBytes } from '@/lib/uploads/config'
import { ingestUpload } from '@/lib/videos/ingest'
import { listVideos, listVideosQuery } from '@/lib/videos/list'
import { videoMetadataInput } from '@/lib/videos/schemas'
import { getVideoView } from '@/lib/videos/view'
import { rm } from 'node:fs/promises'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read', anonymous: true }, async ({ req, actor }) => {
  const query = listVideosQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json(await listVideos(actor, query))
})

/** Single-request upload (multipart/form-data: file, title, description?, visibility?). */
export const POST = route({ scope: 'write' }, async ({ req, actor }) => {
  const file = await receiveMultipart(req, await maxUploadBytes())
  const parsed = videoMetadataInput.safeParse(file.fields)
  if (!parsed.success) {
    await rm(file.tempPath, { force: true })
    throw parsed.error
  }
  const result = await ingestUpload({ ownerId: actor!.userId, ...file, metadata: parsed.data })
  const view = await getVideoView(actor, result.videoId)
  return json({ ...view, deduplicated: result.deduplicated }, { status: 201, headers: { location: `/api/v1/videos/${result.videoId}` } })
})
