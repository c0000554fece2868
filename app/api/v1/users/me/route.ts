import { json, route } from '@/lib/api/route'
import { getMe } from '@/lib/auth/user-view'

export const dynamic = 'force-dynamic'

/** Who the caller is: the user behind the session or API key, with the key's scopes. */
export const GET = route({ scope: 'read' }, async ({ actor }) => json(await getMe(actor!)))
