import { operation } from '@/lib/api/operation'
import { itemsOf } from '@/lib/api/pagination'
import { idParams, resourceId } from '@/lib/api/params'
import { json } from '@/lib/api/route'
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, redeliver, updateWebhook } from './manage'
import { createWebhookInput, deliveryPageSchema, deliverySchema, listDeliveriesQuery, listWebhooksQuery, updateWebhookInput, webhookSchema } from './schemas'

export const webhooksApi = {
  listWebhooks: operation({
    method: 'get',
    path: '/api/v1/webhooks',
    summary: 'List webhooks',
    tag: 'Webhooks',
    access: { scope: 'read' },
    query: listWebhooksQuery,
    success: { status: 200, description: "The caller's endpoints (admins with `all`: everyone's).", schema: itemsOf(webhookSchema, 'WebhookList') },
    handle: async ({ actor, query }) => ({ items: await listWebhooks(actor, query) }),
  }),

  createWebhook: operation({
    method: 'post',
    path: '/api/v1/webhooks',
    summary: 'Register a webhook endpoint',
    description: 'The response carries the signing `secret`, shown once. See the `webhooks` section for the events and the signature.',
    tag: 'Webhooks',
    access: { scope: 'write' },
    body: { schema: createWebhookInput },
    success: { status: 201, description: 'Created.', schema: webhookSchema },
    errors: [409],
    handle: async ({ actor, body }) => {
      const webhook = await createWebhook(actor, body)
      return json(webhook, { status: 201, headers: { location: `/api/v1/webhooks/${webhook.id}` } })
    },
  }),

  getWebhook: operation({
    method: 'get',
    path: '/api/v1/webhooks/{id}',
    summary: 'Get a webhook',
    tag: 'Webhooks',
    access: { scope: 'read', resource: 'webhook' },
    params: idParams,
    success: { status: 200, description: 'The endpoint.', schema: webhookSchema },
    handle: ({ actor, params }) => getWebhook(actor, params.id),
  }),

  updateWebhook: operation({
    method: 'patch',
    path: '/api/v1/webhooks/{id}',
    summary: 'Update a webhook',
    description: 'With `rotateSecret: true` the response carries the new secret, shown once.',
    tag: 'Webhooks',
    access: { scope: 'write', resource: 'webhook' },
    params: idParams,
    body: { schema: updateWebhookInput },
    success: { status: 200, description: 'The endpoint.', schema: webhookSchema },
    handle: ({ actor, params, body }) => updateWebhook(actor, params.id, body),
  }),

  deleteWebhook: operation({
    method: 'delete',
    path: '/api/v1/webhooks/{id}',
    summary: 'Delete a webhook',
    tag: 'Webhooks',
    access: { scope: 'write', resource: 'webhook' },
    params: idParams,
    success: { status: 204, description: 'Done; no body.' },
    handle: ({ actor, params }) => deleteWebhook(actor, params.id),
  }),

  listWebhookDeliveries: operation({
    method: 'get',
    path: '/api/v1/webhooks/{id}/deliveries',
    summary: 'Recent deliveries',
    description: "Every attempt's outcome is recorded: status, response code, error and the body sent.",
    tag: 'Webhooks',
    access: { scope: 'read', resource: 'webhook' },
    params: idParams,
    query: listDeliveriesQuery,
    success: { status: 200, description: 'One page, newest first.', schema: deliveryPageSchema },
    handle: ({ actor, params, query }) => listDeliveries(actor, params.id, query),
  }),

  redeliverWebhook: operation({
    method: 'post',
    path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    summary: 'Redeliver',
    description: 'Queues the same event (same `id` and body) again as a new delivery.',
    tag: 'Webhooks',
    access: { scope: 'write', resource: 'delivery' },
    params: idParams.extend({ deliveryId: resourceId }),
    success: { status: 202, description: 'Queued.', schema: deliverySchema },
    handle: ({ actor, params }) => redeliver(actor, params.id, params.deliveryId),
  }),
}
