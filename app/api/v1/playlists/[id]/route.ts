import { handlersFor } from '@/lib/api/operation'
import { playlistsApi } from '@/lib/rooms/api'

export const dynamic = 'force-dynamic'

export const { GET, PATCH, DELETE } = handlersFor(playlistsApi.getPlaylist, playlistsApi.updatePlaylist, playlistsApi.deletePlaylist)
