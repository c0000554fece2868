import { json, route } from '@/lib/api/route'
import { retrySession } from '@/lib/sessions/actions'
import { sessionIdParams, sessionStatus } from '@/lib/sessions/queries'

export const dynamic = 'force-dynamic'

export const POST = route({ scope: 'admin', params: sessionIdParams }, async ({ params, actor }) =>
  json(sessionStatus(await retrySession(actor!, params.id))),
)
