import { json, route } from '@/lib/api/route'
import { deleteRoom, getRoom } from '@/lib/rooms'
import { idParams } from '@/lib/rooms/params'

export const dynamic = 'force-dynamic'

/** The authoritative room state, including `seq`. */
export const GET = route({ scope: 'read', params: idParams }, async ({ params, actor }) => json(await getRoom(actor!, params.id)))

export const DELETE = route({ scope: 'write', params: idParams }, async ({ params, actor }) => {
  await deleteRoom(actor!, params.id)
  return new Response(null, { status: 204 })
})
