import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'

// Invite and password-reset links carry a random token; only its SHA-256 is stored (the token is
// 256 random bits, so a fast hash is enough, as for API keys). Whoever reads the database cannot
// use a link, and the clear token exists only in the one response that made it.

const TOKEN_BYTES = 32

/** A fresh token and the hash to store for it. */
export function newOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url')
  return { token, hash: hashOneTimeToken(token) }
}

export const hashOneTimeToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** The shape every such token has (43 base64url characters); anything else is refused before a lookup. */
export const oneTimeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a valid link token')

export const isOneTimeToken = (v: unknown): v is string => oneTimeTokenSchema.safeParse(v).success
