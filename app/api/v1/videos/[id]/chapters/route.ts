import { handlersFor } from '@/lib/api/operation'
import { captionsApi } from '@/lib/captions/api'

export const dynamic = 'force-dynamic'

export const { PUT } = handlersFor(captionsApi.setChapters)
