import { json, route } from '@/lib/api/route'
import { encodingProfiles } from '@/lib/sessions/actions'

export const dynamic = 'force-dynamic'

/** The encoding profiles a re-encode may choose. */
export const GET = route({ scope: 'admin' }, async () => json({ items: encodingProfiles() }))
