'use client'

import { useState } from 'react'
import type { HistoryItem } from '@/lib/history/list'
import { WatchedCard } from './WatchedCard'

/** The history page's list: each entry can be removed, or all of it cleared. */
export function HistoryList({ initial }: { initial: HistoryItem[] }) {
  const [items, setItems] = useState(initial)
  const [error, setError] = useState<string | null>(null)

  const call = async (path: string, after: () => void) => {
    setError(null)
    const res = await fetch(path, { method: 'DELETE' }).catch(() => null)
    if (res?.ok) after()
    else setError('Could not change the history. Try again.')
  }
  const clear = () => {
    if (window.confirm('Clear your whole watch history? Videos will start from the beginning again.')) void call('/api/v1/me/history', () => setItems([]))
  }

  if (items.length === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-zinc-300 p-12 text-center dark:border-zinc-700" data-testid="history-empty">
        <p className="text-lg font-medium">Nothing watched yet.</p>
        <p className="mt-1 text-zinc-500">Videos you watch while signed in show up here, and resume where you left off.</p>
      </div>
    )
  }
  return (
    <>
      <div className="mb-6 flex items-center justify-end gap-3">
        {error && (
          <p role="alert" className="mr-auto text-sm text-rose-600">
            {error}
          </p>
        )}
        <button
          type="button"
          onClick={clear}
          className="rounded-full border border-zinc-300 px-3.5 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          Clear history
        </button>
      </div>
      <ul className="grid grid-cols-[repeat(auto-fill,minmax(min(100%,15rem),1fr))] gap-x-5 gap-y-8" data-testid="history">
        {items.map((item) => (
          <li key={item.video.id} className="relative min-w-0">
            <WatchedCard item={item} />
            <button
              type="button"
              onClick={() =>
                void call(`/api/v1/me/history/${encodeURIComponent(item.video.id)}`, () => setItems((l) => l.filter((i) => i.video.id !== item.video.id)))
              }
              aria-label={`Remove ${item.video.title} from history`}
              title="Remove from history"
              className="absolute top-2 right-2 flex h-8 w-8 items-center justify-center rounded-full bg-black/70 text-white hover:bg-black/90 focus-visible:ring-2 focus-visible:ring-rose-500"
            >
              <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4 fill-current">
                <path d="M5.7 4.3 10 8.6l4.3-4.3 1.4 1.4L11.4 10l4.3 4.3-1.4 1.4-4.3-4.3-4.3 4.3-1.4-1.4L8.6 10 4.3 5.7l1.4-1.4Z" />
              </svg>
            </button>
          </li>
        ))}
      </ul>
    </>
  )
}
