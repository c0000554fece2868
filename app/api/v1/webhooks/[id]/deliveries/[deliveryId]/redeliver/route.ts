import { json, route } from '@/lib/api/route'
import { redeliver } from '@/lib/webhooks/manage'
import { deliveryParams } from '@/lib/webhooks/schemas'

export const dynamic = 'force-dynamic'

/** Queues the same event again as a new delivery. */
export const POST = route({ scope: 'write', params: deliveryParams }, async ({ params, actor }) =>
  json(await redeliver(actor!, params.id, params.deliveryId), { status: 202 }),
)
