import { json, route } from '@/lib/api/route'
import { listWorkers } from '@/lib/admin/overview'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'admin' }, async () => json({ items: await listWorkers() }))
