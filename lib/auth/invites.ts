import { z } from 'zod'
import { db, type Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { type Actor, requireScope } from './actor'
import { hashOneTimeToken, newOneTimeToken } from './one-time-token'

// Invite links for REGISTRATION=invite: an admin makes one, hands it over (no mail server needed),
// and it makes exactly one account before it expires. The token is in the link only.

export const INVITE_DEFAULT_HOURS = 7 * 24

export const createInviteInput = z
  .object({
    expiresInHours: z
      .int()
      .min(1)
      .max(90 * 24)
      .default(INVITE_DEFAULT_HOURS)
      .meta({ description: 'How long the link works (default 7 days).' }),
  })
  .strict()
  .meta({ id: 'CreateInviteInput' })

export const inviteState = z.enum(['open', 'used', 'expired', 'revoked'])
export type InviteState = z.infer<typeof inviteState>

export const inviteView = z
  .object({
    id: z.string(),
    state: inviteState,
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    createdBy: z.string().nullable().meta({ description: 'Email of the admin who made it.' }),
    usedAt: z.iso.datetime().nullable(),
    usedBy: z.string().nullable().meta({ description: 'Email of the account it made.' }),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Invite' })
export type InviteView = z.infer<typeof inviteView>

export const createdInviteView = inviteView
  .extend({ url: z.string().meta({ description: 'The sign-up link. Shown only in this response: copy it now.' }) })
  .meta({ id: 'CreatedInvite' })

type Row = Prisma.InviteGetPayload<{ include: { createdBy: { select: { email: true } }; usedBy: { select: { email: true } } } }>

export function inviteStateOf(row: Pick<Row, 'usedAt' | 'revokedAt' | 'expiresAt'>, now = new Date()): InviteState {
  if (row.usedAt) return 'used'
  if (row.revokedAt) return 'revoked'
  return row.expiresAt <= now ? 'expired' : 'open'
}

const view = (r: Row): InviteView => ({
  id: r.id,
  state: inviteStateOf(r),
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
  createdBy: r.createdBy?.email ?? null,
  usedAt: r.usedAt?.toISOString() ?? null,
  usedBy: r.usedBy?.email ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
})
const withEmails = { createdBy: { select: { email: true } }, usedBy: { select: { email: true } } } as const

export const signUpPath = (token: string) => `/signup?invite=${token}`

/** A new invite; `siteOrigin` makes the link absolute. */
export async function createInvite(actor: Actor, input: z.input<typeof createInviteInput>, siteOrigin: string) {
  requireScope(actor, 'admin')
  const { expiresInHours } = createInviteInput.parse(input)
  const { token, hash } = newOneTimeToken()
  const row = await db.invite.create({
    data: { tokenHash: hash, createdById: actor.userId, expiresAt: new Date(Date.now() + expiresInHours * 3600_000) },
    include: withEmails,
  })
  return { ...view(row), url: `${siteOrigin}${signUpPath(token)}` }
}

/** Newest first; used and expired ones stay listed for a while as a record. */
export async function listInvites(actor: Actor): Promise<InviteView[]> {
  requireScope(actor, 'admin')
  const rows = await db.invite.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200, include: withEmails })
  return rows.map(view)
}

/** Stops an unused link from working. Revoking twice, or a used invite, changes nothing. */
export async function revokeInvite(actor: Actor, id: string): Promise<void> {
  requireScope(actor, 'admin')
  const row = await db.invite.findUnique({ where: { id } })
  if (!row) throw new AppError('NOT_FOUND', 'No such invite.')
  if (!row.usedAt && !row.revokedAt) await db.invite.update({ where: { id }, data: { revokedAt: new Date() } })
}

/** What a link's token names, for the sign-up page and sign-up itself. */
export async function inviteStateOfToken(token: string): Promise<InviteState | 'unknown'> {
  const row = await db.invite.findUnique({ where: { tokenHash: hashOneTimeToken(token) } })
  return row ? inviteStateOf(row) : 'unknown'
}

export const INVITE_REFUSALS: Record<Exclude<InviteState, 'open'> | 'unknown', string> = {
  unknown: 'This invite link is not valid. Check that you copied all of it.',
  used: 'This invite link has been used already: each link makes one account.',
  expired: 'This invite link has expired. Ask an admin for a new one.',
  revoked: 'This invite link was withdrawn. Ask an admin for a new one.',
}

/** Marks the invite used by `userId` inside the sign-up transaction; throws FORBIDDEN when it is not open (any more). */
export async function spendInvite(tx: Prisma.TransactionClient, token: string, userId: string): Promise<void> {
  const now = new Date()
  const taken = await tx.invite.updateMany({
    where: { tokenHash: hashOneTimeToken(token), usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, usedById: userId },
  })
  if (taken.count !== 1) {
    const row = await tx.invite.findUnique({ where: { tokenHash: hashOneTimeToken(token) } })
    const state = row ? inviteStateOf(row, now) : 'unknown'
    throw new AppError('FORBIDDEN', state === 'open' ? INVITE_REFUSALS.used : INVITE_REFUSALS[state])
  }
}
