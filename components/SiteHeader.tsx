import Link from 'next/link'
import type { Actor } from '@/lib/auth/actor'
import { SignOutButton } from './SignOutButton'

export function SiteHeader({ actor }: { actor: Actor | null }) {
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
      <nav className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4" aria-label="Main">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="inline-block h-6 w-6 rounded-md bg-gradient-to-br from-rose-500 to-orange-400" />
          Reelhouse
        </Link>
        <div className="ml-auto flex items-center gap-4 text-sm">
          {actor ? (
            <>
              <Link href="/upload" className="rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600">
                Upload
              </Link>
              {actor.role === 'ADMIN' && (
                <Link href="/admin" className="hover:underline">
                  Admin
                </Link>
              )}
              <span className="hidden text-zinc-500 sm:inline" data-testid="signed-in-as">
                {actor.email}
              </span>
              <SignOutButton />
            </>
          ) : (
            <Link href="/signin" className="rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900">
              Sign in
            </Link>
          )}
        </div>
      </nav>
    </header>
  )
}
