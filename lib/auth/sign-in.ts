import { accountKey, addressKey, clearSignInFailures, recordSignInFailure, signInBlocked } from './sign-in-throttle'
import { checkCredentials } from './users'

/**
 * Email + password sign-in, throttled per account and per client address (sign-in-throttle.ts).
 * A blocked attempt is refused without looking at the password, exactly like a wrong one.
 */
export async function signInWithPassword(opts: { email: string; password: string; address?: string }) {
  const keys = [accountKey(opts.email), ...(opts.address ? [addressKey(opts.address)] : [])]
  if (await signInBlocked(keys)) {
    await recordSignInFailure(keys)
    return null
  }
  const user = await checkCredentials(opts.email, opts.password)
  if (!user) {
    await recordSignInFailure(keys)
    return null
  }
  await clearSignInFailures(keys[0])
  return user
}

/**
 * The client's address from the headers a route handler sees: the last X-Forwarded-For hop, which
 * is the one our own front end (or Next, from the socket, when there is none) wrote.
 */
export function clientAddress(headers: Record<string, unknown> | undefined): string | undefined {
  const forwarded = headers?.['x-forwarded-for']
  if (typeof forwarded !== 'string') return undefined
  const last = forwarded.split(',').pop()?.trim()
  return last || undefined
}
