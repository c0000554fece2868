import { json, jsonBody, route } from '@/lib/api/route'
import { createRoom, createRoomInput, listRooms, listRoomsInput } from '@/lib/rooms'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read' }, async ({ req, actor }) =>
  json({ items: await listRooms(actor!, listRoomsInput.parse(Object.fromEntries(new URL(req.url).searchParams))) }),
)

export const POST = route({ scope: 'write' }, async ({ req, actor }) =>
  json(await createRoom(actor!, await jsonBody(req, createRoomInput)), { status: 201 }),
)
