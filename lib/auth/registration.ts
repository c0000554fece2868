import { z } from 'zod'
import { env } from '@/lib/config/env'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { plainText } from '@/lib/validation/text'
import { INVITE_REFUSALS, inviteStateOfToken, spendInvite } from './invites'
import { oneTimeTokenSchema } from './one-time-token'
import { newPasswordSchema } from './password'
import { addressKey, recordSignInFailure, signInBlocked } from './sign-in-throttle'
import { type UserView, userViewOf } from './user-view'
import { createUser, createUserInput } from './users'

// Sign-up on /signup, as REGISTRATION says: `open` anyone, `invite` with an admin's link, `closed`
// nobody. The account is a normal user; the page then signs in with the same credentials, through
// the throttled sign-in every other form uses.

export type RegistrationMode = 'open' | 'invite' | 'closed'

export const registrationMode = (): RegistrationMode => env().REGISTRATION

export const REGISTRATION_CLOSED = 'Sign-up is closed on this site. Ask an admin for an account.'
export const INVITE_REQUIRED = 'Sign-up on this site is by invitation: open the invite link an admin gave you.'

export const signUpInput = z
  .object({
    email: createUserInput.shape.email,
    password: newPasswordSchema,
    name: plainText({ max: 100 }).optional(),
    invite: oneTimeTokenSchema.optional().meta({ description: 'The token of the invite link (`/signup?invite=…`); required with REGISTRATION=invite.' }),
  })
  .strict()
  .meta({ id: 'SignUpInput' })

/** Makes the account; the invite (when one is needed) is used up in the same transaction. */
export async function signUp(input: z.infer<typeof signUpInput>, opts: { address?: string } = {}): Promise<UserView> {
  const mode = registrationMode()
  if (mode === 'closed') throw new AppError('FORBIDDEN', REGISTRATION_CLOSED)
  if (mode === 'invite' && !input.invite) throw new AppError('FORBIDDEN', INVITE_REQUIRED)
  const invite = mode === 'invite' ? input.invite : undefined
  // Guessing invite tokens is throttled per address like guessing passwords.
  const keys = opts.address ? [addressKey(opts.address)] : []
  if (invite) {
    if (await signInBlocked(keys)) throw new AppError('RATE_LIMITED', 'Too many failed attempts from this address; wait a minute and try again.')
    const state = await inviteStateOfToken(invite)
    if (state === 'unknown') await recordSignInFailure(keys)
    if (state !== 'open') throw new AppError('FORBIDDEN', INVITE_REFUSALS[state])
  }
  const user = await db.$transaction(async (tx) => {
    const created = await createUser({ email: input.email, password: input.password, name: input.name, role: 'USER' }, tx)
    if (invite) await spendInvite(tx, invite, created.id)
    return created
  })
  return userViewOf(user)
}
