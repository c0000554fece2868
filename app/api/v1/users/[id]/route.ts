import { json, jsonBody, route } from '@/lib/api/route'
import { getUser, updateUser, updateUserInput, userIdParams } from '@/lib/admin/users'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'admin', params: userIdParams }, async ({ params, actor }) => json(await getUser(actor!, params.id)))

export const PATCH = route({ scope: 'admin', params: userIdParams }, async ({ req, params, actor }) =>
  json(await updateUser(actor!, params.id, await jsonBody(req, updateUserInput))),
)
