import { route } from '@/lib/api/route'
import { apiKeyIdParams, revokeOwnApiKey } from '@/lib/auth/own-api-keys'

export const dynamic = 'force-dynamic'

/** Revokes the key (it stays listed, marked revoked). */
export const DELETE = route({ scope: 'write', params: apiKeyIdParams }, async ({ params, actor }) => {
  await revokeOwnApiKey(actor!, params.id)
  return new Response(null, { status: 204 })
})
