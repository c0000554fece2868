import { json, jsonBody, route } from '@/lib/api/route'
import { publishCommand } from '@/lib/realtime/server'
import { applyCommand, commandFromBody } from '@/lib/rooms'
import { idParams } from '@/lib/rooms/params'
import { z } from 'zod'

export const dynamic = 'force-dynamic'

/** A command over REST (e.g. `{ "type": "seek", "positionMs": 5000 }`): applied, sequenced and broadcast like a socket command. */
export const POST = route({ scope: 'write', params: idParams }, async ({ req, params, actor }) => {
  const receivedAt = Date.now()
  const command = commandFromBody(params.id, await jsonBody(req, z.record(z.string(), z.unknown())))
  // Applied here; the broadcast goes through the realtime process (lib/realtime/handoff.ts).
  const result = await applyCommand(actor!, params.id, command)
  const event = publishCommand(result)
  return json({ ok: true, seq: result.state.seq, state: result.state, delivered: !!event, serverReceivedAt: receivedAt, serverSentAt: Date.now() })
})
