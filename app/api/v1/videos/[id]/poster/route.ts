import { handlersFor } from '@/lib/api/operation'
import { videosApi } from '@/lib/videos/api'

export const dynamic = 'force-dynamic'

export const { PUT } = handlersFor(videosApi.choosePoster)
