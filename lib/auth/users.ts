import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { db, type Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { hasControlCharacters, plainText } from '@/lib/validation/text'
import { hashPassword, newPasswordSchema, verifyAgainstDummy, verifyPassword } from './password'

export const createUserInput = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: newPasswordSchema,
  name: plainText({ max: 100 }).optional(),
  role: z.enum(['USER', 'ADMIN']).default('USER'),
})

/** Creates an account; `tx` lets sign-up make it in the transaction that uses up the invite. */
export async function createUser(input: z.input<typeof createUserInput>, tx: Prisma.TransactionClient = db) {
  const data = createUserInput.parse(input)
  const passwordHash = await hashPassword(data.password)
  const taken = () => new AppError('CONFLICT', `A user with email ${data.email} exists already.`)
  if (await tx.user.findUnique({ where: { email: data.email } })) throw taken()
  try {
    return await tx.user.create({ data: { email: data.email, name: data.name, role: data.role, passwordHash } })
  } catch (err) {
    // Two sign-ups with one email at once: the unique index decides.
    if ((err as { code?: string }).code === 'P2002') throw taken()
    throw err
  }
}

/** The user for valid credentials, or null. Disabled users cannot sign in. */
export async function checkCredentials(email: string, password: string) {
  // No account's email holds a control character, and PostgreSQL refuses NUL in a query.
  if (hasControlCharacters(email)) return verifyAgainstDummy(password).then(() => null)
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } })
  if (!user) return verifyAgainstDummy(password).then(() => null)
  const ok = await verifyPassword(password, user.passwordHash)
  return ok && !user.disabled ? user : null
}

/**
 * Makes sure the admin account exists. Returns the generated password when one had to be made
 * (printed once by the launcher), null when the account existed or the password was given.
 */
export async function ensureAdmin(email: string, password?: string): Promise<string | null> {
  const existing = await db.user.findUnique({ where: { email: email.toLowerCase() } })
  if (existing) {
    if (existing.role !== 'ADMIN') await db.user.update({ where: { id: existing.id }, data: { role: 'ADMIN' } })
    return null
  }
  const generated = password ? null : randomBytes(12).toString('base64url')
  await createUser({ email, password: password ?? generated!, role: 'ADMIN', name: 'Admin' })
  return generated
}
