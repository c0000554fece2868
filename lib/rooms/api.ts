import { operation } from '@/lib/api/operation'
import { itemsOf } from '@/lib/api/pagination'
import { idParams } from '@/lib/api/params'
import { listRoomMembers } from '@/lib/realtime/server'
import { applyCommand } from './apply-command'
import { createPlaylist, deletePlaylist, getPlaylist, listPlaylists, updatePlaylist } from './playlists'
import { createRoom, deleteRoom, getLiveRoom, getRoom, listRooms } from './rooms'
import { joinAsGuest, joinRoom, revokeInvite, rotateInvite } from './together'
import {
  commandBodySchema,
  commandFromBody,
  commandResultSchema,
  createPlaylistInput,
  createRoomInput,
  inviteSchema,
  joinResultSchema,
  joinRoomInput,
  listPlaylistsInput,
  listRoomsInput,
  playlistSchema,
  playlistSummarySchema,
  roomSchema,
  updatePlaylistInput,
} from './schemas'

const noContent = { status: 204, description: 'Done; no body.' }

export const playlistsApi = {
  listPlaylists: operation({
    method: 'get',
    path: '/api/v1/playlists',
    summary: 'List playlists',
    tag: 'Playlists',
    access: { scope: 'read' },
    query: listPlaylistsInput,
    success: { status: 200, description: "The caller's playlists (admins with `all`: everyone's).", schema: itemsOf(playlistSummarySchema, 'PlaylistList') },
    handle: async ({ actor, query }) => ({ items: await listPlaylists(actor, query) }),
  }),

  createPlaylist: operation({
    method: 'post',
    path: '/api/v1/playlists',
    summary: 'Create a playlist',
    tag: 'Playlists',
    access: { scope: 'write' },
    body: { schema: createPlaylistInput },
    success: { status: 201, description: 'Created.', schema: playlistSchema },
    handle: ({ actor, body }) => createPlaylist(actor, body),
  }),

  getPlaylist: operation({
    method: 'get',
    path: '/api/v1/playlists/{id}',
    summary: 'Get a playlist',
    tag: 'Playlists',
    access: { scope: 'read', resource: 'playlist' },
    params: idParams,
    success: { status: 200, description: 'The playlist with the items the caller may see.', schema: playlistSchema },
    handle: ({ actor, params }) => getPlaylist(actor, params.id),
  }),

  updatePlaylist: operation({
    method: 'patch',
    path: '/api/v1/playlists/{id}',
    summary: 'Rename or reorder a playlist',
    tag: 'Playlists',
    access: { scope: 'write', resource: 'playlist' },
    params: idParams,
    body: { schema: updatePlaylistInput },
    success: { status: 200, description: 'The playlist.', schema: playlistSchema },
    handle: ({ actor, params, body }) => updatePlaylist(actor, params.id, body),
  }),

  deletePlaylist: operation({
    method: 'delete',
    path: '/api/v1/playlists/{id}',
    summary: 'Delete a playlist',
    tag: 'Playlists',
    access: { scope: 'write', resource: 'playlist' },
    params: idParams,
    success: noContent,
    handle: ({ actor, params }) => deletePlaylist(actor, params.id),
  }),
}

export const roomsApi = {
  listRooms: operation({
    method: 'get',
    path: '/api/v1/rooms',
    summary: 'List rooms',
    tag: 'Rooms',
    access: { scope: 'read' },
    query: listRoomsInput,
    success: { status: 200, description: "The caller's rooms (admins: all).", schema: itemsOf(roomSchema, 'RoomList') },
    handle: async ({ actor, query }) => ({ items: await listRooms(actor, query) }),
  }),

  createRoom: operation({
    method: 'post',
    path: '/api/v1/rooms',
    summary: 'Create a room',
    description:
      '`mode: "remote"` (the default): the owner and admins drive the players in it. `mode: "together"`: a watch party; the answer carries `joinUrl`, the invite link members open.',
    tag: 'Rooms',
    access: { scope: 'write' },
    body: { schema: createRoomInput },
    success: { status: 201, description: 'Created.', schema: roomSchema },
    handle: ({ actor, body }) => createRoom(actor, body),
  }),

  getRoom: operation({
    method: 'get',
    path: '/api/v1/rooms/{id}',
    summary: 'Room state',
    description:
      'The authoritative state, including `seq`. A remote room (not a personal one) can be read by any signed-in user who knows its id; a together room by its owner, admins and members, and it lists the connected `members`.',
    tag: 'Rooms',
    access: { scope: 'read', resource: 'room', shared: true },
    params: idParams,
    success: { status: 200, description: 'The room.', schema: roomSchema },
    handle: async ({ actor, params }) => {
      const room = await getLiveRoom(actor, params.id)
      return room.mode === 'together' ? { ...room, members: await listRoomMembers(room.id) } : room
    },
  }),

  joinRoom: operation({
    method: 'post',
    path: '/api/v1/rooms/{id}/join',
    summary: 'Join a together room',
    description:
      "Makes the caller a member with the invite from the room's `joinUrl`. The owner, admins and members pass whatever invite they send. Anonymous callers get a guest pass when the room admits guests (`guests: true`; they see public videos only and cannot command).",
    tag: 'Rooms',
    access: { scope: 'read', resource: 'room', shared: true, anonymous: true },
    params: idParams,
    body: { schema: joinRoomInput },
    success: { status: 200, description: 'The room, or a guest pass.', schema: joinResultSchema },
    handle: async ({ actor, params, body }) => {
      if (!actor) return joinAsGuest(params.id, body)
      await joinRoom(actor, params.id, body)
      return getRoom(actor, params.id)
    },
  }),

  rotateRoomInvite: operation({
    method: 'post',
    path: '/api/v1/rooms/{id}/invite',
    summary: 'New invite link',
    description: 'Replaces the invite: the previous link admits nobody new. Members stay members.',
    tag: 'Rooms',
    access: { scope: 'write', resource: 'room', shared: true },
    params: idParams,
    success: { status: 200, description: 'The new link.', schema: inviteSchema },
    handle: ({ actor, params }) => rotateInvite(actor, params.id),
  }),

  revokeRoomInvite: operation({
    method: 'delete',
    path: '/api/v1/rooms/{id}/invite',
    summary: 'Revoke the invite link',
    description: 'No link admits anyone new until the owner makes a new one. Members stay members.',
    tag: 'Rooms',
    access: { scope: 'write', resource: 'room', shared: true },
    params: idParams,
    success: noContent,
    handle: ({ actor, params }) => revokeInvite(actor, params.id),
  }),

  deleteRoom: operation({
    method: 'delete',
    path: '/api/v1/rooms/{id}',
    summary: 'Delete a room',
    tag: 'Rooms',
    access: { scope: 'write', resource: 'room', shared: true },
    params: idParams,
    success: noContent,
    handle: ({ actor, params }) => deleteRoom(actor, params.id),
  }),

  sendRoomCommand: operation({
    method: 'post',
    path: '/api/v1/rooms/{id}/commands',
    summary: 'Send a playback command',
    description:
      'Applied like a socket command: the room\'s next `seq` is assigned and every player in the room receives it. The room\'s owner and admins may command it; in a together room with `control: "everyone"`, so may its members.',
    tag: 'Rooms',
    access: { scope: 'write', resource: 'room', shared: true },
    params: idParams,
    body: { schema: commandBodySchema },
    success: { status: 200, description: 'Applied.', schema: commandResultSchema },
    handle: async ({ actor, params, body }) => {
      const receivedAt = Date.now()
      // Applied and broadcast by the room's owner node (through the realtime process, lib/realtime/handoff.ts).
      const result = await applyCommand(actor, params.id, commandFromBody(params.id, body))
      return { ok: true, seq: result.state.seq, state: result.state, delivered: !!result.event, serverReceivedAt: receivedAt, serverSentAt: Date.now() }
    },
  }),
}
