import { json, route } from '@/lib/api/route'
import { receiveMultipart } from '@/lib/uploads/multipart'
import { maxUploadBytes } from '@/lib/uploads/config'
import { ingestUpload } from '@/lib/videos/ingest'
import { listVideos, listVideosQuery } from '@/lib/videos/list'
import { getVideoView } from '@/lib/videos/view'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read', anonymous: true }, async ({ req, actor }) => {
  const query = listVideosQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json(await listVideos(actor, query))
})

/** Single-request upload (multipart/form-data: file, title, description?, visibility?). */
export const POST = route({ scope: 'write' }, async ({ req, actor }) => {
  const { tempPath, hash, size, fields } = await receiveMultipart(req, await maxUploadBytes())
  // Validates the fields before the bytes are committed; on any failure nothing is kept.
  const result = await ingestUpload({ ownerId: actor!.userId, tempPath, hash, size, metadata: fields })
  const view = await getVideoView(actor, result.videoId)
  return json({ ...view, deduplicated: result.deduplicated }, { status: 201, headers: { location: `/api/v1/videos/${result.videoId}` } })
})
