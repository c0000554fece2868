import type { VideoStatus } from '@/lib/player/source'

export function VisibilityBadge({ visibility }: { visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE' }) {
  if (visibility === 'PUBLIC') return null
  return (
    <span className="inline-flex items-center gap-1 rounded-full border border-zinc-300 px-2 py-0.5 text-[11px] font-medium text-zinc-600 dark:border-zinc-700 dark:text-zinc-300">
      {visibility === 'PRIVATE' ? (
        <svg aria-hidden viewBox="0 0 16 16" className="h-3 w-3 fill-current">
          <path d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5A1.5 1.5 0 0 1 12.5 15h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
        </svg>
      ) : (
        <svg aria-hidden viewBox="0 0 16 16" className="h-3 w-3 fill-current">
          <path d="M6.9 9.1a.75.75 0 0 1 0-1.06l2.5-2.5a2.25 2.25 0 1 1 3.18 3.18l-1.5 1.5a.75.75 0 1 1-1.06-1.06l1.5-1.5a.75.75 0 1 0-1.06-1.06l-2.5 2.5a.75.75 0 0 1-1.06 0Zm2.2-2.2a.75.75 0 0 1 0 1.06l-2.5 2.5a2.25 2.25 0 1 1-3.18-3.18l1.5-1.5a.75.75 0 1 1 1.06 1.06l-1.5 1.5a.75.75 0 1 0 1.06 1.06l2.5-2.5a.75.75 0 0 1 1.06 0Z" />
        </svg>
      )}
      {visibility === 'PRIVATE' ? 'Private' : 'Unlisted'}
    </span>
  )
}

/** Processing / failed badge over a poster; progress only for the owner (others get no live feed). */
export function StatusBadge({ status, progress }: { status: VideoStatus; progress: number | null }) {
  if (status === 'ready') return null
  if (status === 'failed') {
    return <span className="absolute top-2 left-2 rounded-md bg-red-600 px-2 py-0.5 text-xs font-semibold text-white shadow">Failed</span>
  }
  return (
    <span className="absolute top-2 left-2 inline-flex items-center gap-1.5 rounded-md bg-black/75 px-2 py-0.5 text-xs font-semibold text-white shadow tabular-nums">
      <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-amber-400" aria-hidden />
      Processing{progress !== null ? ` ${Math.round(progress * 100)}%` : ''}
    </span>
  )
}
