import { handlersFor } from '@/lib/api/operation'
import { sessionsApi } from '@/lib/sessions/api'

export const dynamic = 'force-dynamic'

export const { GET } = handlersFor(sessionsApi.getSessionHealth)
