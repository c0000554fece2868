import { json, jsonBody, route } from '@/lib/api/route'
import { AppError } from '@/lib/errors'
import { deleteVideo, updateVideo, updateVideoInput } from '@/lib/videos/manage'
import { videoIdParams } from '@/lib/videos/schemas'
import { getVideoView } from '@/lib/videos/view'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read', anonymous: true, params: videoIdParams }, async ({ params, actor }) => {
  const view = await getVideoView(actor, params.id)
  if (!view) throw new AppError('NOT_FOUND', 'No such video.')
  return json(view)
})

export const PATCH = route({ scope: 'write', params: videoIdParams }, async ({ req, params, actor }) => {
  await updateVideo(actor!, params.id, await jsonBody(req, updateVideoInput))
  return json(await getVideoView(actor, params.id))
})

export const DELETE = route({ scope: 'write', params: videoIdParams }, async ({ params, actor }) => {
  await deleteVideo(actor!, params.id)
  return new Response(null, { status: 204 })
})
