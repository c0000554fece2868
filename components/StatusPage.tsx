import Link from 'next/link'
import type { ReactNode } from 'react'

/** The body of the 404 and error pages: what happened, and the way back home. */
export function StatusPage({ code, title, children, action }: { code: string; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <main
      className="mx-auto flex min-h-[60vh] max-w-xl flex-col items-center justify-center gap-4 px-4 py-16 text-center"
      data-testid="status-page"
      data-code={code}
    >
      <p className="bg-gradient-to-br from-rose-500 to-orange-400 bg-clip-text text-6xl font-bold tracking-tight text-transparent">{code}</p>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <div className="text-zinc-500 dark:text-zinc-400">{children}</div>
      <div className="mt-2 flex flex-wrap items-center justify-center gap-3">
        {action}
        <Link
          href="/"
          className="rounded-full bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600"
        >
          Back to the gallery
        </Link>
      </div>
    </main>
  )
}
