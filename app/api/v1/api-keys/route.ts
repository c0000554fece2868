import { json, jsonBody, route } from '@/lib/api/route'
import { createApiKeyInput, createOwnApiKey, listApiKeysQuery, listOwnApiKeys } from '@/lib/auth/own-api-keys'

export const dynamic = 'force-dynamic'

export const GET = route({ scope: 'read' }, async ({ req, actor }) => {
  const { all } = listApiKeysQuery.parse(Object.fromEntries(new URL(req.url).searchParams))
  return json({ items: await listOwnApiKeys(actor!, { all }) })
})

/** The secret key is in this response only. */
export const POST = route({ scope: 'write' }, async ({ req, actor }) =>
  json(await createOwnApiKey(actor!, await jsonBody(req, createApiKeyInput)), { status: 201 }),
)
