'use client'

import { useRouter } from 'next/navigation'
import { useEffect } from 'react'

/** The modal for a video that does not exist or may not be seen by this viewer. */
export function MissingVideo() {
  const router = useRouter()
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && router.back()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [router])
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/80 p-6 backdrop-blur-sm">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="missing-title"
        className="max-w-sm rounded-2xl bg-white p-6 text-center shadow-2xl dark:bg-zinc-900"
      >
        <h2 id="missing-title" className="text-lg font-semibold">
          Video not found
        </h2>
        <p className="mt-2 text-sm text-zinc-500">It was deleted, or it is private.</p>
        <button
          type="button"
          // biome-ignore lint/a11y/noAutofocus: the dialog's only action
          autoFocus
          onClick={() => router.back()}
          className="mt-5 rounded-full bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600"
        >
          Back
        </button>
      </div>
    </div>
  )
}
