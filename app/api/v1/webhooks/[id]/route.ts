import { json, jsonBody, route } from '@/lib/api/route'
import { deleteWebhook, getWebhook, updateWebhook } from '@/lib/webhooks/manage'
import { updateWebhookInput, webhookIdParams } from '@/lib/webhooks/schemas'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read', params: webhookIdParams }, async ({ params, actor }) => json(await getWebhook(actor!, params.id)))

export const PATCH = route({ scope: 'write', params: webhookIdParams }, async ({ req, params, actor }) =>
  json(await updateWebhook(actor!, params.id, await jsonBody(req, updateWebhookInput))),
)

export const DELETE = route({ scope: 'write', params: webhookIdParams }, async ({ params, actor }) => {
  await deleteWebhook(actor!, params.id)
  return new Response(null, { status: 204 })
})
