import { handlersFor } from '@/lib/api/operation'
import { roomsApi } from '@/lib/rooms/api'

export const dynamic = 'force-dynamic'

export const { GET, POST } = handlersFor(roomsApi.listRooms, roomsApi.createRoom)
