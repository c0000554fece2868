import { json, route } from '@/lib/api/route'
import { listSessions, listSessionsQuery } from '@/lib/sessions/list'

export const dynamic = 'force-dynamic'

/** Sessions of the caller's videos (admins: all), filterable by state, worker, content or text. */
export const GET = route({ scope: 'read' }, async ({ req, actor }) => {
  const query = listSessionsQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json(await listSessions(actor!, query))
})
