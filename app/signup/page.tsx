import Link from 'next/link'
import { SignUpForm } from '@/components/account/SignUpForm'
import { INVITE_REFUSALS, inviteStateOfToken } from '@/lib/auth/invites'
import { isOneTimeToken } from '@/lib/auth/one-time-token'
import { INVITE_REQUIRED, REGISTRATION_CLOSED, registrationMode } from '@/lib/auth/registration'

export const metadata = { title: 'Sign up' }
export const dynamic = 'force-dynamic'

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ invite?: string | string[] }> }) {
  const { invite } = await searchParams
  const mode = registrationMode()
  const token = typeof invite === 'string' ? invite : undefined
  // Say what is wrong with the link before anyone types a password.
  const refusal =
    mode === 'closed' ? REGISTRATION_CLOSED : mode === 'invite' && !token ? INVITE_REQUIRED : mode === 'invite' && token ? await inviteRefusal(token) : null
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-16">
      <h1 className="text-2xl font-semibold">Create your Reelhouse account</h1>
      {refusal ? (
        <p
          role="status"
          data-testid="signup-refused"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          {refusal}
        </p>
      ) : (
        <SignUpForm invite={mode === 'invite' ? token : undefined} />
      )}
      <p className="text-sm text-zinc-500">
        Have an account already?{' '}
        <Link href="/signin" className="text-rose-600 hover:underline">
          Sign in
        </Link>
      </p>
    </main>
  )
}

async function inviteRefusal(token: string): Promise<string | null> {
  if (!isOneTimeToken(token)) return INVITE_REFUSALS.unknown
  const state = await inviteStateOfToken(token)
  return state === 'open' ? null : INVITE_REFUSALS[state]
}
