import { handlersFor } from '@/lib/api/operation'
import { historyApi } from '@/lib/history/api'

export const dynamic = 'force-dynamic'

export const { DELETE } = handlersFor(historyApi.removeFromHistory)
