import { handlersFor } from '@/lib/api/operation'
import { systemApi } from '@/lib/system/api'

export const dynamic = 'force-dynamic'

export const { GET } = handlersFor(systemApi.getHealth)
