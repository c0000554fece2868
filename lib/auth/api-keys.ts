import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { plainText } from '@/lib/validation/text'
import type { Actor, Scope } from './actor'

// Keys look like `rh_<8-char prefix>_<secret>`; only a SHA-256 of the whole key is stored
// (keys are long random strings, so a fast hash is enough), the prefix is shown in listings.
const KEY_RE = /^rh_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{32,})$/

export const scopeSchema = z.enum(['read', 'write', 'admin'])
export const createApiKeyInput = z.object({
  name: plainText({ min: 1, max: 100 }),
  scopes: z.array(scopeSchema).min(1).default(['read', 'write']),
})

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

export async function createApiKey(userId: string, input: z.input<typeof createApiKeyInput>) {
  const { name, scopes } = createApiKeyInput.parse(input)
  const user = await db.user.findUnique({ where: { id: userId } })
  if (!user) throw new AppError('NOT_FOUND', 'No such user.')
  if (scopes.includes('admin') && user.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Only admins may hold the admin scope.')
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8)
  const key = `rh_${prefix}_${randomBytes(24).toString('base64url')}`
  const row = await db.apiKey.create({ data: { userId, name, prefix, hash: sha256(key), scopes } })
  return { key, id: row.id, prefix, name, scopes, createdAt: row.createdAt }
}

/** The actor behind a presented key, or null when it is malformed, unknown, revoked or its user disabled. */
export async function actorFromApiKey(key: string): Promise<Actor | null> {
  if (!KEY_RE.test(key)) return null
  const row = await db.apiKey.findUnique({ where: { hash: sha256(key) }, include: { user: true } })
  if (!row || row.revokedAt || row.user.disabled) return null
  // Last-used is informational: not awaited on the request path beyond a minute's precision.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {})
  }
  return {
    userId: row.userId,
    email: row.user.email,
    role: row.user.role,
    via: 'apiKey',
    scopes: row.scopes as Scope[],
    apiKeyId: row.id,
  }
}

export async function revokeApiKey(actor: Actor, id: string): Promise<void> {
  const row = await db.apiKey.findUnique({ where: { id } })
  if (!row || (row.userId !== actor.userId && actor.role !== 'ADMIN')) throw new AppError('NOT_FOUND', 'No such API key.')
  await db.apiKey.update({ where: { id }, data: { revokedAt: row.revokedAt ?? new Date() } })
}

export async function listApiKeys(userId?: string) {
  return db.apiKey.findMany({
    where: userId ? { userId } : {},
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, scopes: true, lastUsedAt: true, revokedAt: true, createdAt: true, userId: true },
  })
}
