import { json, route } from '@/lib/api/route'
import { contentInfo, hashParams } from '@/lib/content/info'
import { withMediaSecurityHeaders } from '@/lib/streaming/media-headers'

export const dynamic = 'force-dynamic'

export const GET = withMediaSecurityHeaders(
  route({ scope: 'read', anonymous: true, params: hashParams }, async ({ params, actor }) => json(await contentInfo(actor, params.hash))),
)
