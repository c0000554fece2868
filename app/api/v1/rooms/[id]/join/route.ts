import { handlersFor } from '@/lib/api/operation'
import { roomsApi } from '@/lib/rooms/api'

export const dynamic = 'force-dynamic'

export const { POST } = handlersFor(roomsApi.joinRoom)
