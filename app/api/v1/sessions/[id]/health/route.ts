import { json, route } from '@/lib/api/route'
import { findVisibleSession, sessionHealth, sessionIdParams } from '@/lib/sessions/queries'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read', params: sessionIdParams }, async ({ params, actor }) => {
  const session = await findVisibleSession(actor!, params.id)
  return json(await sessionHealth(session))
})
