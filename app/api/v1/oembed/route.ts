import { handlersFor } from '@/lib/api/operation'
import { shareApi } from '@/lib/share/api'

export const dynamic = 'force-dynamic'

export const { GET } = handlersFor(shareApi.getOembed)
