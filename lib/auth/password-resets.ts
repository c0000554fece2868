import { z } from 'zod'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { type Actor, requireScope } from './actor'
import { hashOneTimeToken, newOneTimeToken, oneTimeTokenSchema } from './one-time-token'
import { hashPassword, newPasswordSchema } from './password'
import { accountKey, addressKey, clearSignInFailures, recordSignInFailure, signInBlocked } from './sign-in-throttle'

// An admin's "reset password" gives a one-time link to hand to the user (no mail server needed).
// It works once, for a day; a newer link replaces older unused ones. Using it sets the password
// and ends every session the account had (the session epoch moves on).

export const PASSWORD_RESET_TTL_MS = 24 * 3600_000

export const resetPath = (token: string) => `/reset/${token}`

export const passwordResetLinkView = z
  .object({
    url: z.string().meta({ description: 'The one-time link. Shown only in this response: hand it to the user.' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'PasswordResetLink' })

export const resetPasswordInput = z.object({ token: oneTimeTokenSchema, password: newPasswordSchema }).strict().meta({ id: 'ResetPasswordInput' })

export const resetPasswordResult = z
  .object({ email: z.string().meta({ description: 'The account whose password changed, to sign in with.' }) })
  .meta({ id: 'PasswordResetDone' })

export async function createPasswordReset(actor: Actor, userId: string, siteOrigin: string): Promise<z.infer<typeof passwordResetLinkView>> {
  requireScope(actor, 'admin')
  const user = await db.user.findUnique({ where: { id: userId } })
  if (!user) throw new AppError('NOT_FOUND', 'No such user.')
  const { token, hash } = newOneTimeToken()
  const expiresAt = new Date(Date.now() + PASSWORD_RESET_TTL_MS)
  await db.$transaction([
    db.passwordReset.deleteMany({ where: { userId, usedAt: null } }),
    db.passwordReset.create({ data: { tokenHash: hash, userId, createdById: actor.userId, expiresAt } }),
  ])
  return { url: `${siteOrigin}${resetPath(token)}`, expiresAt: expiresAt.toISOString() }
}

export type ResetLinkState = { state: 'open'; email: string } | { state: 'used' | 'expired' | 'unknown' }

/** What a link names, for the reset page. */
export async function resetLinkState(token: string): Promise<ResetLinkState> {
  const row = await db.passwordReset.findUnique({ where: { tokenHash: hashOneTimeToken(token) }, include: { user: { select: { email: true } } } })
  if (!row) return { state: 'unknown' }
  if (row.usedAt) return { state: 'used' }
  if (row.expiresAt <= new Date()) return { state: 'expired' }
  return { state: 'open', email: row.user.email }
}

export const RESET_REFUSALS: Record<Exclude<ResetLinkState['state'], 'open'>, string> = {
  unknown: 'This reset link is not valid. Check that you copied all of it.',
  used: 'This reset link has been used already. Ask an admin for a new one.',
  expired: 'This reset link has expired. Ask an admin for a new one.',
}

/** Sets the new password once per link and ends the account's sessions; throttled per address like sign-in. */
export async function resetPassword(input: z.infer<typeof resetPasswordInput>, opts: { address?: string } = {}): Promise<{ email: string }> {
  const keys = opts.address ? [addressKey(opts.address)] : []
  if (await signInBlocked(keys)) throw new AppError('RATE_LIMITED', 'Too many failed attempts from this address; wait a minute and try again.')
  const link = await resetLinkState(input.token)
  if (link.state !== 'open') {
    if (link.state === 'unknown') await recordSignInFailure(keys)
    throw new AppError('FORBIDDEN', RESET_REFUSALS[link.state])
  }
  const passwordHash = await hashPassword(input.password)
  const email = await db.$transaction(async (tx) => {
    const now = new Date()
    // Conditional on "unused, unexpired": two submissions of one link at once set it only once.
    const taken = await tx.passwordReset.updateMany({
      where: { tokenHash: hashOneTimeToken(input.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    })
    if (taken.count !== 1) throw new AppError('FORBIDDEN', RESET_REFUSALS.used)
    const row = await tx.passwordReset.findUniqueOrThrow({ where: { tokenHash: hashOneTimeToken(input.token) } })
    const user = await tx.user.update({ where: { id: row.userId }, data: { passwordHash, sessionEpoch: { increment: 1 } } })
    return user.email
  })
  // The owner of the account proved it: earlier wrong guesses at it should not hold them up.
  await clearSignInFailures(accountKey(email))
  return { email }
}
