import { json, jsonBody, route } from '@/lib/api/route'
import { reencodeInput, reencodeSession } from '@/lib/sessions/actions'
import { sessionIdParams, sessionStatus } from '@/lib/sessions/queries'

export const dynamic = 'force-dynamic'

/** Queues the session again, encoding up to the chosen profile. */
export const POST = route({ scope: 'admin', params: sessionIdParams }, async ({ req, params, actor }) =>
  json(sessionStatus(await reencodeSession(actor!, params.id, await jsonBody(req, reencodeInput)))),
)
