import { z } from 'zod'
import type { PlayerInfo } from '@/lib/realtime/protocol'
import { getRealtime } from '@/lib/realtime/server'

export const playerInfoSchema = z
  .object({
    socketId: z.string(),
    userId: z.string(),
    email: z.string(),
    clientId: z.string().nullable(),
    personalRoomId: z.string().nullable().meta({ description: 'Command this room to control exactly this player.' }),
    rooms: z.array(z.string()),
    connectedAt: z.number().meta({ description: 'Epoch ms.' }),
    presence: z
      .object({
        roomId: z.string(),
        videoId: z.string().nullable(),
        positionMs: z.number(),
        bufferedAheadMs: z.number(),
        source: z.enum(['abr', 'direct', 'chunked']),
        playing: z.boolean(),
        receivedAt: z.number(),
      })
      .nullable(),
  })
  .meta({ id: 'Player' })

/** Connected players across web nodes; empty where no realtime server runs (e.g. a plain `next dev`). */
export async function listConnectedPlayers(): Promise<PlayerInfo[]> {
  return (await getRealtime()?.listPlayers()) ?? []
}
