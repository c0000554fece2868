import Link from 'next/link'
import { ResetPasswordForm } from '@/components/account/ResetPasswordForm'
import { isOneTimeToken } from '@/lib/auth/one-time-token'
import { RESET_REFUSALS, type ResetLinkState, resetLinkState } from '@/lib/auth/password-resets'

export const metadata = { title: 'Choose a new password' }
export const dynamic = 'force-dynamic'

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const link: ResetLinkState = isOneTimeToken(token) ? await resetLinkState(token) : { state: 'unknown' }
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-16">
      <h1 className="text-2xl font-semibold">Choose a new password</h1>
      {link.state === 'open' ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            For <span className="font-medium break-all">{link.email}</span>
          </p>
          <ResetPasswordForm token={token} email={link.email} />
        </>
      ) : (
        <>
          <p
            role="status"
            data-testid="reset-refused"
            className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            {RESET_REFUSALS[link.state]}
          </p>
          <Link href="/signin" className="text-sm text-rose-600 hover:underline">
            Go to sign in
          </Link>
        </>
      )}
    </main>
  )
}
