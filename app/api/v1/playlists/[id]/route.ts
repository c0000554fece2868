import { json, jsonBody, route } from '@/lib/api/route'
import { deletePlaylist, getPlaylist, updatePlaylist, updatePlaylistInput } from '@/lib/rooms'
import { idParams } from '@/lib/rooms/params'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read', params: idParams }, async ({ params, actor }) => json(await getPlaylist(actor!, params.id)))

export const PATCH = route({ scope: 'write', params: idParams }, async ({ req, params, actor }) =>
  json(await updatePlaylist(actor!, params.id, await jsonBody(req, updatePlaylistInput))),
)

export const DELETE = route({ scope: 'write', params: idParams }, async ({ params, actor }) => {
  await deletePlaylist(actor!, params.id)
  return new Response(null, { status: 204 })
})
