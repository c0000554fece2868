import { z } from 'zod'
import { type Command, clientIdSchema, commandSchema, MAX_ROOM_VIDEOS } from '@/lib/realtime/protocol'
import { idString, plainText } from '@/lib/validation/text'

// Input schemas for the REST layer (`app/api/v1/rooms`, `app/api/v1/playlists`). The command body
// of `POST /api/v1/rooms/{id}/commands` is `commandBodySchema` (the protocol command without
// roomId, which comes from the path).

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
