// Outgoing webhooks: endpoints (manage), the outbox (enqueue, events) and the worker's delivery loop.
export { claimDueDeliveries, deliverDueWebhooks, sendDelivery, startWebhookDeliveries } from './deliver'
export { enqueueWebhookEvent, notifyDeliveries } from './enqueue'
export { enqueueSessionOutcome, enqueueVideoReady } from './events'
export * from './manage'
export * from './policy'
export * from './schemas'
export * from './signing'
