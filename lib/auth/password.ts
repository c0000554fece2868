import { randomBytes } from 'node:crypto'
import bcrypt from 'bcryptjs'
import { z } from 'zod'

/** The one rule for a password someone chooses: when an admin creates a user, on sign-up, on reset. */
export const newPasswordSchema = z.string().min(8, 'at least 8 characters')

// bcrypt cost 10 ≈ 60 ms here: slow enough for stolen hashes, fast enough for sign-in.
const COST = 10

export const hashPassword = (plain: string): Promise<string> => bcrypt.hash(plain, COST)
export const verifyPassword = (plain: string, hash: string): Promise<boolean> => bcrypt.compare(plain, hash)

// A hash of nothing anyone knows, at the same cost: checked against when the email is unknown, so
// an unknown account takes as long to refuse as a wrong password (no enumeration by timing).
let dummyHash: Promise<string> | undefined

/** Spends one real bcrypt compare and answers false. */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
  await bcrypt.compare(plain, await dummyHash)
  return false
}
