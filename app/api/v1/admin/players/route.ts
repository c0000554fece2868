import { json, route } from '@/lib/api/route'
import { listConnectedPlayers } from '@/lib/admin/players'

export const dynamic = 'force-dynamic'

/** Connected players with their last presence report; control them with room commands. */
export const GET = route({ scope: 'admin' }, async () => json({ items: await listConnectedPlayers() }))
