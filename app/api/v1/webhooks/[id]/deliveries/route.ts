import { json, route } from '@/lib/api/route'
import { listDeliveries } from '@/lib/webhooks/manage'
import { listDeliveriesQuery, webhookIdParams } from '@/lib/webhooks/schemas'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read', params: webhookIdParams }, async ({ req, params, actor }) => {
  const query = listDeliveriesQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json(await listDeliveries(actor!, params.id, query))
})
