import { json, route } from '@/lib/api/route'
import { getSessionDetail } from '@/lib/admin/sessions'
import { deleteSession } from '@/lib/sessions/actions'
import { sessionIdParams } from '@/lib/sessions/queries'

export const dynamic = 'force-dynamic'

/** Summary, health, videos and the event timeline of one session. */
export const GET = route({ scope: 'admin', params: sessionIdParams }, async ({ params, actor }) => json(await getSessionDetail(actor!, params.id)))

/** Deletes a finished (stored, failed or cancelled) session and its events. */
export const DELETE = route({ scope: 'admin', params: sessionIdParams }, async ({ params, actor }) => {
  await deleteSession(actor!, params.id)
  return new Response(null, { status: 204 })
})
