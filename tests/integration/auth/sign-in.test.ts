import { randomBytes } from 'node:crypto'
import bcrypt from 'bcryptjs'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { signInWithPassword } from '@/lib/auth/sign-in'
import { SIGN_IN_THROTTLE, throttleDelayMs } from '@/lib/auth/sign-in-throttle'
import { createUser } from '@/lib/auth/users'
import { db, disconnectDb } from '@/lib/db'

// Sign-in against the real database: the throttle's counts, blocks and resets, and the bcrypt
// compare that an unknown email costs as much as a known one.

afterEach(() => {
  vi.restoreAllMocks()
})

afterAll(async () => {
  await disconnectDb()
})

const fresh = async () => {
  const email = `signin-${randomBytes(4).toString('hex')}@test.local`
  await createUser({ email, password: 'right-password-1' })
  return email
}
const address = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}-${randomBytes(2).toString('hex')}`

describe('sign-in throttle', () => {
  it('doubles the delay past the free failures, up to the cap', () => {
    const free = SIGN_IN_THROTTLE.account.freeFailures
    expect(throttleDelayMs(free, 'account')).toBe(0)
    expect(throttleDelayMs(free + 1, 'account')).toBe(1000)
    expect(throttleDelayMs(free + 2, 'account')).toBe(2000)
    expect(throttleDelayMs(free + 4, 'account')).toBe(8000)
    expect(throttleDelayMs(1000, 'account')).toBe(SIGN_IN_THROTTLE.account.maxDelayMs)
    expect(throttleDelayMs(SIGN_IN_THROTTLE.address.freeFailures, 'address')).toBe(0)
    expect(throttleDelayMs(1000, 'address')).toBe(SIGN_IN_THROTTLE.address.maxDelayMs)
  })

  it('refuses the right password after 30 wrong ones, from any address', async () => {
    const email = await fresh()
    const from = address()
    for (let i = 0; i < 30; i++) expect(await signInWithPassword({ email, password: `wrong-${i}`, address: from })).toBeNull()
    expect(await signInWithPassword({ email, password: 'right-password-1', address: from })).toBeNull()
    expect(await signInWithPassword({ email, password: 'right-password-1', address: address() })).toBeNull()
    const row = await db.signInThrottle.findUniqueOrThrow({ where: { key: `account:${email}` } })
    expect(row.blockedUntil.getTime() - Date.now()).toBeGreaterThan(10 * 60_000)
  })

  it('lets a user who mistyped a few times in, and forgets their failures', async () => {
    const email = await fresh()
    const from = address()
    for (let i = 0; i < SIGN_IN_THROTTLE.account.freeFailures; i++) await signInWithPassword({ email, password: 'typo', address: from })
    expect(await signInWithPassword({ email, password: 'right-password-1', address: from })).toMatchObject({ email })
    expect(await db.signInThrottle.count({ where: { key: `account:${email}` } })).toBe(0)
  })

  it('blocks an address spraying many accounts, without locking those accounts elsewhere', async () => {
    const sprayer = address()
    const victims = await Promise.all(Array.from({ length: 3 }, fresh))
    for (let i = 0; i <= SIGN_IN_THROTTLE.address.freeFailures; i++) {
      await signInWithPassword({ email: victims[i % victims.length], password: `guess-${i}`, address: sprayer })
    }
    expect(await signInWithPassword({ email: victims[0], password: 'right-password-1', address: sprayer })).toBeNull()
    // Each account took only 7 or 8 failures from the sprayer: blocked for seconds, not minutes.
    await db.signInThrottle.updateMany({ where: { key: { in: victims.map((v) => `account:${v}`) } }, data: { blockedUntil: new Date() } })
    expect(await signInWithPassword({ email: victims[0], password: 'right-password-1', address: address() })).toMatchObject({ email: victims[0] })
  })
})

describe('sign-in timing', () => {
  it('runs one bcrypt compare for an unknown email too, so both take as long', async () => {
    const email = await fresh()
    const compare = vi.spyOn(bcrypt, 'compare')
    expect(await signInWithPassword({ email: `nobody-${randomBytes(4).toString('hex')}@test.local`, password: 'whatever-1', address: address() })).toBeNull()
    expect(compare).toHaveBeenCalledTimes(1)
    expect(await signInWithPassword({ email, password: 'wrong-password', address: address() })).toBeNull()
    expect(compare).toHaveBeenCalledTimes(2)
    // The dummy hash has the real ones' cost, so the compare does the same work.
    const [[, dummy], [, real]] = compare.mock.calls as unknown as [string, string][]
    expect(bcrypt.getRounds(dummy)).toBe(bcrypt.getRounds(real))
  })
})
