import { json, route } from '@/lib/api/route'
import { getOverview } from '@/lib/admin/overview'

export const dynamic = 'force-dynamic'

/** The health monitor snapshot: encode rate, segments, queue, workers, delivery, players, alerts. */
export const GET = route({ scope: 'admin' }, async () => json(await getOverview()))
