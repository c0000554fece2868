// Rooms (server-side playback state with a seq) and playlists: the domain functions the socket
// server and the REST routes call. Server-only (Prisma).
export { canCommandRoom, canViewRoom, visibleVideoWhere } from './access'
export { applyCommand, type CommandResult } from './apply-command'
export {
  createPlaylist,
  deletePlaylist,
  getPlaylist,
  listPlaylists,
  type PlaylistItemView,
  type PlaylistSummary,
  type PlaylistView,
  updatePlaylist,
} from './playlists'
export {
  createRoom,
  deleteRoom,
  ensurePersonalRoom,
  getLiveRoom,
  getRoom,
  listRooms,
  personalRoomId,
  prunePersonalRooms,
  type RoomView,
} from './rooms'
export * from './schemas'
