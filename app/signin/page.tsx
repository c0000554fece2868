import { SignInForm } from '@/components/SignInForm'

export const metadata = { title: 'Sign in' }

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-16">
      <h1 className="text-2xl font-semibold">Sign in to Reelhouse</h1>
      <SignInForm callbackUrl={callbackUrl?.startsWith('/') ? callbackUrl : '/'} initialError={error ? 'Wrong email or password.' : null} />
    </main>
  )
}
