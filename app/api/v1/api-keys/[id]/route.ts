import { handlersFor } from '@/lib/api/operation'
import { apiKeysApi } from '@/lib/auth/api'

export const dynamic = 'force-dynamic'

export const { DELETE } = handlersFor(apiKeysApi.revokeApiKey)
