import Link from 'next/link'
import type { Actor } from '@/lib/auth/actor'
import { SignOutButton } from './SignOutButton'
import { ThemeToggle } from './ThemeToggle'

const link =
  'rounded-md px-1 hover:text-zinc-900 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:hover:text-zinc-100'

export function SiteHeader({ actor }: { actor: Actor | null }) {
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
      <nav className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-3 sm:gap-6 sm:px-6" aria-label="Main">
        <Link
          href="/"
          className="flex shrink-0 items-center gap-2 rounded-md font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500"
        >
          <span aria-hidden className="inline-block h-6 w-6 rounded-md bg-gradient-to-br from-rose-500 to-orange-400" />
          {/* On phones the mark alone, so the links keep their room; the name stays the link's label. */}
          <span className="sr-only sm:not-sr-only">Reelhouse</span>
        </Link>
        <div className="ml-auto flex min-w-0 items-center gap-3 text-sm whitespace-nowrap text-zinc-600 sm:gap-4 dark:text-zinc-300">
          {actor ? (
            <>
              <Link href="/me/videos" className={link}>
                My videos
              </Link>
              {/* Phones reach it from the gallery's "Continue watching" row. */}
              <Link href="/me/history" className={`hidden sm:inline ${link}`}>
                History
              </Link>
              {actor.role === 'ADMIN' && (
                <Link href="/admin" className={link}>
                  Admin
                </Link>
              )}
              <span className="hidden text-zinc-500 md:inline" data-testid="signed-in-as">
                {actor.email}
              </span>
              <SignOutButton />
              <Link
                href="/upload"
                className="rounded-full bg-rose-600 px-3.5 py-1.5 font-medium text-white hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600"
              >
                Upload
              </Link>
            </>
          ) : (
            <Link
              href="/signin"
              className="rounded-full border border-zinc-300 px-3.5 py-1.5 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:border-zinc-700 dark:hover:bg-zinc-900"
            >
              Sign in
            </Link>
          )}
          <ThemeToggle />
        </div>
      </nav>
    </header>
  )
}
