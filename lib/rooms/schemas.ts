import { z } from 'zod'
import { type Command, clientIdSchema, commandSchema, MAX_ROOM_VIDEOS, MEMBER_STATES, roomStateSchema } from '@/lib/realtime/protocol'
import { idString, plainText } from '@/lib/validation/text'
import { visibilitySchema } from '@/lib/videos/schemas'

// Input and response schemas of the rooms and playlists API (lib/rooms/api.ts).

export { commandSchema }

const name = plainText({ min: 1, max: 200 })
const id = idString(128)
/** A flag from JSON (true/false) or a query string ("true"/"1"/"false"/"0"...). */
const flag = z.union([z.boolean(), z.stringbool()]).default(false)

export const ROOM_MODES = ['remote', 'together'] as const
export const ROOM_CONTROLS = ['host', 'everyone'] as const
/** Longest wait for a stalled member a room may ask for (ms). */
export const MAX_WAIT_MS = 30_000

export const createRoomInput = z
  .object({
    name,
    mode: z.enum(ROOM_MODES).default('remote'),
    control: z.enum(ROOM_CONTROLS).optional().meta({ description: 'Together rooms: who commands besides the owner (default host).' }),
    guests: z.boolean().optional().meta({ description: 'Together rooms: anonymous viewers with the link may join (public videos only).' }),
    waitMs: z.int().min(0).max(MAX_WAIT_MS).optional().meta({ description: 'Together rooms: how long everyone waits for a stalled member (default 3000).' }),
  })
  .refine((v) => v.mode === 'together' || (v.control === undefined && v.guests === undefined && v.waitMs === undefined), {
    message: 'control, guests and waitMs are for together rooms',
    path: ['mode'],
  })
export type CreateRoomInput = z.input<typeof createRoomInput>

export const joinRoomInput = z.object({ invite: z.string().min(1).max(128) })
export type JoinRoomInput = z.infer<typeof joinRoomInput>

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

export const roomMemberSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    state: z.enum(MEMBER_STATES),
    positionMs: z.number(),
    driftMs: z.number().meta({ description: "Player position minus the room's timeline (ms); positive means ahead." }),
    rttMs: z.number(),
    seq: z.int().meta({ description: 'The last room seq the member applied (its acknowledgement).' }),
    reportedAt: z.number().nullable().meta({ description: 'Server epoch ms of the last report.' }),
  })
  .meta({ id: 'RoomMember' })

export const roomHoldSchema = z
  .object({ userId: z.string(), name: z.string(), until: z.number().meta({ description: 'Server epoch ms; everyone continues then at the latest.' }) })
  .meta({ id: 'RoomHold', description: 'The room waits for this stalled member.' })

export const roomSchema = roomStateSchema
  .extend({
    ownerId: z.string(),
    personal: z.boolean(),
    mode: z.enum(ROOM_MODES),
    control: z.enum(ROOM_CONTROLS),
    guests: z.boolean(),
    waitMs: z.int(),
    joinUrl: z.string().nullable().meta({ description: 'Together rooms, for the owner and admins: the invite link (null once revoked).' }),
    members: z.array(roomMemberSchema).optional().meta({ description: 'Together rooms, on a single room: the connected members.' }),
    hold: roomHoldSchema.nullable().optional(),
  })
  .meta({
    id: 'Room',
    description: "A room's authoritative playback state. `updatedAt` is server epoch ms; while playing, the position advances from `positionMs` at `rate`.",
  })

export const joinResultSchema = z
  .union([
    roomSchema,
    z.object({ roomId: z.string(), name: z.string(), guestToken: z.string() }).meta({
      id: 'GuestPass',
      description: 'Anonymous callers, in a room that admits guests: give `guestToken` as `auth: { guest }` in the /player socket handshake.',
    }),
  ])
  .meta({ id: 'RoomJoin' })

export const inviteSchema = z.object({ roomId: z.string(), joinUrl: z.string() }).meta({ id: 'RoomInvite' })

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
