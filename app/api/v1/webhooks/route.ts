import { json, jsonBody, route } from '@/lib/api/route'
import { createWebhook, listWebhooks } from '@/lib/webhooks/manage'
import { createWebhookInput, listWebhooksQuery } from '@/lib/webhooks/schemas'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read' }, async ({ req, actor }) => {
  const { all } = listWebhooksQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json({ items: await listWebhooks(actor!, { all }) })
})

/** The signing secret is in this response only. */
export const POST = route({ scope: 'write' }, async ({ req, actor }) => {
  const webhook = await createWebhook(actor!, await jsonBody(req, createWebhookInput))
  return json(webhook, { status: 201, headers: { location: `/api/v1/webhooks/${webhook.id}` } })
})
