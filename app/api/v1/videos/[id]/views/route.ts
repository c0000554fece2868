import { json, route } from '@/lib/api/route'
import { countView } from '@/lib/videos/manage'
import { videoIdParams } from '@/lib/videos/schemas'

export const dynamic = 'force-dynamic'

/** The player reports one view when playback first starts. */
export const POST = route({ scope: 'read', anonymous: true, params: videoIdParams }, async ({ params, actor }) =>
  json({ views: await countView(actor, params.id) }),
)
