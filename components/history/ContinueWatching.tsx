import Link from 'next/link'
import type { HistoryItem } from '@/lib/history/list'
import { WatchedCard } from './WatchedCard'

/** The gallery's "Continue watching" row: videos the viewer started and did not finish. */
export function ContinueWatching({ items }: { items: HistoryItem[] }) {
  if (items.length === 0) return null
  return (
    <section aria-labelledby="continue-watching" className="mb-10" data-testid="continue-watching">
      <div className="mb-3 flex items-baseline justify-between gap-4">
        <h2 id="continue-watching" className="text-lg font-semibold tracking-tight">
          Continue watching
        </h2>
        <Link href="/me/history" className="text-sm font-medium text-rose-600 hover:underline dark:text-rose-400">
          History
        </Link>
      </div>
      {/* One row that scrolls sideways on narrow screens instead of widening the page. */}
      <ul className="-mx-1 flex snap-x gap-4 overflow-x-auto px-1 pb-2">
        {items.map((item) => (
          <li key={item.video.id} className="w-[min(16rem,75vw)] shrink-0 snap-start">
            <WatchedCard item={item} />
          </li>
        ))}
      </ul>
    </section>
  )
}
