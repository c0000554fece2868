import { json, route } from '@/lib/api/route'
import { listAllVideos, listAllVideosQuery } from '@/lib/admin/videos'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'admin' }, async ({ req, actor }) => {
  const query = listAllVideosQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json(await listAllVideos(actor!, query))
})
