import { handlersFor } from '@/lib/api/operation'
import { videosApi } from '@/lib/videos/api'

export const dynamic = 'force-dynamic'

export const { GET, PATCH, DELETE } = handlersFor(videosApi.getVideo, videosApi.updateVideo, videosApi.deleteVideo)
