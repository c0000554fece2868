import { handlersFor } from '@/lib/api/operation'
import { contentApi } from '@/lib/content/api'

export const dynamic = 'force-dynamic'

export const { GET } = handlersFor(contentApi.getContentInfo)
