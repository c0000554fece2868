import { json, jsonBody, route } from '@/lib/api/route'
import { createPlaylist, createPlaylistInput, listPlaylists, listPlaylistsInput } from '@/lib/rooms'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read' }, async ({ req, actor }) =>
  json({ items: await listPlaylists(actor!, listPlaylistsInput.parse(Object.fromEntries(new URL(req.url).searchParams))) }),
)

export const POST = route({ scope: 'write' }, async ({ req, actor }) =>
  json(await createPlaylist(actor!, await jsonBody(req, createPlaylistInput)), { status: 201 }),
)
