import { randomBytes } from 'node:crypto'
import { Agent, fetch } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { disconnectDb } from '@/lib/db'
import { base } from '../api/client'

// Password guessing against the running server, through next-auth's own credentials endpoint.
// The guesser connects from 127.0.0.3, so the address it gets throttled on is not the one every
// other test signs in from.

// (undici's connector overrides connect.localAddress with the client's own option: set that one.)
const guesser = new Agent({ localAddress: '127.0.0.3' })

const fromLoopback = new Agent()

afterAll(async () => {
  await guesser.close()
  await fromLoopback.close()
  await disconnectDb()
})

function cookiesOf(res: Response | Awaited<ReturnType<typeof fetch>>): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

/** A next-auth credentials sign-in; true when it set a session cookie. */
async function signIn(email: string, password: string, dispatcher: Agent = guesser): Promise<boolean> {
  const csrf = await fetch(`${base()}/api/auth/csrf`, { dispatcher })
  const jar = cookiesOf(csrf)
  const { csrfToken } = (await csrf.json()) as { csrfToken: string }
  const res = await fetch(`${base()}/api/auth/callback/credentials`, {
    dispatcher,
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar, origin: base() },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  })
  await res.arrayBuffer()
  return /session-token=/.test(cookiesOf(res))
}

describe('sign-in guessing', () => {
  it('signs in with the right password, and refuses it after 30 wrong ones', async () => {
    const email = `guessed-${randomBytes(4).toString('hex')}@api.test`
    await createUser({ email, password: 'the-right-password' })
    expect(await signIn(email, 'the-right-password')).toBe(true)
    for (let i = 0; i < 30; i++) expect(await signIn(email, `wrong-${i}`)).toBe(false)
    expect(await signIn(email, 'the-right-password')).toBe(false)
  })

  it('throttles the guessing address only: others still sign in', async () => {
    const email = `bystander-${randomBytes(4).toString('hex')}@api.test`
    await createUser({ email, password: 'bystander-password' })
    // The guesser's 31 failures put 127.0.0.3 over its free failures; 127.0.0.1 is untouched.
    expect(await signIn(email, 'bystander-password')).toBe(false)
    expect(await signIn(email, 'bystander-password', fromLoopback)).toBe(true)
  })
})
