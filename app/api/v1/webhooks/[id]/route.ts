import { handlersFor } from '@/lib/api/operation'
import { webhooksApi } from '@/lib/webhooks/api'

export const dynamic = 'force-dynamic'

export const { GET, PATCH, DELETE } = handlersFor(webhooksApi.getWebhook, webhooksApi.updateWebhook, webhooksApi.deleteWebhook)
