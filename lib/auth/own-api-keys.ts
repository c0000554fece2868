import { z } from 'zod'
import { AppError } from '@/lib/errors'
import { type Actor, isAdmin } from './actor'
import { createApiKey, createApiKeyInput, listApiKeys, revokeApiKey } from './api-keys'

// Self-service API keys over the REST API. api-keys.ts owns the keys; this adds the rule
// a key may not mint a key stronger than itself (a read-only key cannot create a write key).

export { createApiKeyInput }

export const apiKeyView = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'Shown in listings: the key reads `rh_<prefix>_…`.' }),
    scopes: z.array(z.enum(['read', 'write', 'admin'])),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ApiKey' })
export type ApiKeyView = z.infer<typeof apiKeyView>

export const createdApiKeyView = apiKeyView
  .extend({ key: z.string().meta({ description: 'The secret key. Shown only in this response: store it now.' }) })
  .meta({ id: 'CreatedApiKey' })

export const listApiKeysQuery = z.object({ all: z.stringbool().default(false) })

type Row = Awaited<ReturnType<typeof listApiKeys>>[number]
const view = (k: Row): ApiKeyView => ({
  id: k.id,
  userId: k.userId,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes as ApiKeyView['scopes'],
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  createdAt: k.createdAt.toISOString(),
})

export async function createOwnApiKey(actor: Actor, input: z.input<typeof createApiKeyInput>) {
  const { name, scopes } = createApiKeyInput.parse(input)
  if (actor.via === 'apiKey') {
    const extra = scopes.filter((s) => !actor.scopes.includes(s))
    if (extra.length) throw new AppError('FORBIDDEN', `This API key cannot grant scopes it lacks: ${extra.join(', ')}.`)
  }
  const created = await createApiKey(actor.userId, { name, scopes })
  return { ...view({ ...created, userId: actor.userId, lastUsedAt: null, revokedAt: null }), key: created.key }
}

/** The actor's keys (revoked ones too, marked); `all` (admins only) lists every user's. */
export async function listOwnApiKeys(actor: Actor, opts: { all?: boolean } = {}): Promise<ApiKeyView[]> {
  if (opts.all && !isAdmin(actor)) throw new AppError('FORBIDDEN', 'Only admins may list every API key.')
  return (await listApiKeys(opts.all ? undefined : actor.userId)).map(view)
}

/** Revokes a key of the actor (admins: any key). Revoking twice is harmless. */
export async function revokeOwnApiKey(actor: Actor, id: string): Promise<void> {
  // revokeApiKey lets any ADMIN-role user through; an admin's key without the admin scope may not.
  if (actor.role === 'ADMIN' && !isAdmin(actor)) {
    const own = (await listApiKeys(actor.userId)).some((k) => k.id === id)
    if (!own) throw new AppError('NOT_FOUND', 'No such API key.')
  }
  await revokeApiKey(actor, id)
}
