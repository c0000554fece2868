import { json, jsonBody, route } from '@/lib/api/route'
import { mintPlaybackToken, playbackTokenInput } from '@/lib/videos/playback-token'
import { videoIdParams } from '@/lib/videos/schemas'

export const dynamic = 'force-dynamic'

/** Body optional: `{ ttlSeconds }` (60 s – 24 h, default 1 h). */
export const POST = route({ scope: 'read', params: videoIdParams }, async ({ req, params, actor }) => {
  const input = await jsonBody(req, playbackTokenInput, { optional: true })
  return json(await mintPlaybackToken(actor!, params.id, input), { status: 201 })
})
