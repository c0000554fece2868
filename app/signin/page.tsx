import Link from 'next/link'
import { SignInForm } from '@/components/SignInForm'
import { registrationMode } from '@/lib/auth/registration'

export const metadata = { title: 'Sign in' }
export const dynamic = 'force-dynamic'

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-16">
      <h1 className="text-2xl font-semibold">Sign in to Reelhouse</h1>
      <SignInForm callbackUrl={callbackUrl?.startsWith('/') ? callbackUrl : '/'} initialError={error ? 'Wrong email or password.' : null} />
      {registrationMode() === 'open' && (
        <p className="text-sm text-zinc-500">
          New here?{' '}
          <Link href="/signup" className="text-rose-600 hover:underline">
            Create an account
          </Link>
        </p>
      )}
    </main>
  )
}
