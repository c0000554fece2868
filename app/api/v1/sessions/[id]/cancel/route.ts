import { json, route } from '@/lib/api/route'
import { cancelSession } from '@/lib/sessions/actions'
import { sessionIdParams, sessionStatus } from '@/lib/sessions/queries'

export const dynamic = 'force-dynamic'

export const POST = route({ scope: 'admin', params: sessionIdParams }, async ({ params, actor }) =>
  json(sessionStatus(await cancelSession(actor!, params.id))),
)
