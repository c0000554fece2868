import { route } from '@/lib/api/route'
import { findVisibleSession, logsQuery, sessionIdParams, sessionLogTail } from '@/lib/sessions/queries'

export const dynamic = 'force-dynamic'

/** The FFmpeg log tail as text/plain (`?bytes=` up to 1 MiB, default 64 KiB). */
export const GET = route({ scope: 'read', params: sessionIdParams }, async ({ req, params, actor }) => {
  const session = await findVisibleSession(actor!, params.id)
  const { bytes } = logsQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return new Response(await sessionLogTail(session, bytes), {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  })
})
