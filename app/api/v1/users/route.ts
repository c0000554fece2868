import { json, jsonBody, route } from '@/lib/api/route'
import { adminCreateUser, createUserInput, listUsers, listUsersQuery } from '@/lib/admin/users'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'admin' }, async ({ req, actor }) => {
  const query = listUsersQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json(await listUsers(actor!, query))
})

export const POST = route({ scope: 'admin' }, async ({ req, actor }) => {
  const user = await adminCreateUser(actor!, await jsonBody(req, createUserInput))
  return json(user, { status: 201, headers: { location: `/api/v1/users/${user.id}` } })
})
