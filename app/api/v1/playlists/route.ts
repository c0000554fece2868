import { handlersFor } from '@/lib/api/operation'
import { playlistsApi } from '@/lib/rooms/api'

export const dynamic = 'force-dynamic'

export const { GET, POST } = handlersFor(playlistsApi.listPlaylists, playlistsApi.createPlaylist)
