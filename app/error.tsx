'use client'

import { useEffect } from 'react'
import { StatusPage } from '@/components/StatusPage'

// Next shows this when a page fails on the server or in the browser; the details stay in the logs.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error)
  }, [error])
  return (
    <StatusPage
      code="500"
      title="Something went wrong"
      action={
        <button
          type="button"
          onClick={reset}
          className="rounded-full border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          Try again
        </button>
      }
    >
      <p>The page could not be shown. Try again in a moment.</p>
      {error.digest && <p className="mt-2 font-mono text-xs">Reference: {error.digest}</p>}
    </StatusPage>
  )
}
