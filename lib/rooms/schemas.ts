import { z } from 'zod'
import { type Command, clientIdSchema, commandSchema, MAX_ROOM_VIDEOS, roomStateSchema } from '@/lib/realtime/protocol'
import { idString, plainText } from '@/lib/validation/text'
import { visibilitySchema } from '@/lib/videos/schemas'

// Input and response schemas of the rooms and playlists API (lib/rooms/api.ts).

export { commandSchema }

const name = plainText({ min: 1, max: 200 })
const id = idString(128)
/** A flag from JSON (true/false) or a query string ("true"/"1"/"false"/"0"...). */
const flag = z.union([z.boolean(), z.stringbool()]).default(false)

export const createRoomInput = z.object({ name })
export type CreateRoomInput = z.infer<typeof createRoomInput>

export const personalRoomInput = z.object({ clientId: clientIdSchema })

export const listRoomsInput = z.object({
  /** Include personal (per browser session) rooms. */
  personal: flag,
})
export type ListRoomsInput = z.input<typeof listRoomsInput>

/** The REST command body: a protocol command without `roomId` (the path names the room). */
export const commandBodySchema = z
  .discriminatedUnion('type', commandSchema.options.map((o) => z.object(Object.fromEntries(Object.entries(o.shape).filter(([k]) => k !== 'roomId')))) as never)
  .meta({
    id: 'RoomCommand',
    description: '`playlist.load` takes exactly one of `videoIds` or `playlistId`. The room comes from the path.',
  })

/**
 * The command of `POST /api/v1/rooms/{id}/commands`: the body is a protocol command whose
 * `roomId` comes from the path. Throws a ZodError (422 through toProblem) when it does not parse.
 */
export function commandFromBody(roomId: string, body: unknown): Command {
  const fields = typeof body === 'object' && body !== null ? body : {}
  return commandSchema.parse({ ...fields, roomId })
}

export const createPlaylistInput = z.object({
  name,
  videoIds: z.array(id).max(MAX_ROOM_VIDEOS).default([]),
})
export type CreatePlaylistInput = z.input<typeof createPlaylistInput>

export const updatePlaylistInput = z
  .object({ name: name.optional(), videoIds: z.array(id).max(MAX_ROOM_VIDEOS).optional() })
  .refine((v) => v.name !== undefined || v.videoIds !== undefined, { message: 'nothing to update' })
export type UpdatePlaylistInput = z.infer<typeof updatePlaylistInput>

export const listPlaylistsInput = z.object({
  /** Admins only: every user's playlists. */
  all: flag,
})
export type ListPlaylistsInput = z.input<typeof listPlaylistsInput>

// Response shapes.

export const roomSchema = roomStateSchema.extend({ ownerId: z.string(), personal: z.boolean() }).meta({
  id: 'Room',
  description: "A room's authoritative playback state. `updatedAt` is server epoch ms; while playing, the position advances from `positionMs` at `rate`.",
})

export const playlistItemSchema = z.object({
  position: z.int(),
  videoId: z.string(),
  title: z.string(),
  visibility: visibilitySchema,
})

export const playlistSchema = z
  .object({
    id: z.string(),
    ownerId: z.string(),
    name: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    items: z.array(playlistItemSchema),
  })
  .meta({ id: 'Playlist' })

export const playlistSummarySchema = z
  .object({ id: z.string(), ownerId: z.string(), name: z.string(), itemCount: z.int(), updatedAt: z.iso.datetime() })
  .meta({ id: 'PlaylistSummary' })

export const commandResultSchema = z
  .object({
    ok: z.literal(true),
    seq: z.int().meta({ description: 'The room sequence number assigned to the command.' }),
    state: roomStateSchema.meta({ description: 'The room state after the command.' }),
    delivered: z.boolean().meta({ description: 'Whether it was broadcast to connected players (false where no realtime server runs).' }),
    serverReceivedAt: z.number().meta({ description: 'Server epoch ms.' }),
    serverSentAt: z.number().meta({ description: 'Server epoch ms.' }),
  })
  .meta({ id: 'CommandResult' })
