import Link from 'next/link'
import { formatDuration } from '@/components/gallery/format'
import type { HistoryItem } from '@/lib/history/list'

/** Share of the video watched, 0…100 (0 when the duration is unknown). */
export const watchedPercent = (item: Pick<HistoryItem, 'positionMs' | 'durationMs'>): number =>
  item.durationMs ? Math.min(100, Math.round((item.positionMs / item.durationMs) * 100)) : 0

/** A watched video: poster with how far the viewer got, title and owner. Opens the player modal. */
export function WatchedCard({ item }: { item: HistoryItem }) {
  const pct = watchedPercent(item)
  const at = formatDuration(item.positionMs) ?? '0:00'
  const total = formatDuration(item.durationMs)
  return (
    <Link
      href={`/videos/${item.video.id}`}
      scroll={false}
      prefetch={false}
      data-watched-id={item.video.id}
      aria-label={`${item.video.title}, by ${item.video.owner.name}, watched ${pct}%`}
      className="group block min-w-0 rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-rose-500 focus-visible:ring-offset-4 focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950"
    >
      <div className="relative aspect-video overflow-hidden rounded-xl bg-zinc-200 dark:bg-zinc-800">
        {item.video.poster && (
          // biome-ignore lint/performance/noImgElement: posters are stored media served with ranges and caching; no optimizer in front
          <img
            src={item.video.poster}
            alt=""
            width={640}
            height={360}
            loading="lazy"
            decoding="async"
            className="absolute inset-0 h-full w-full object-cover"
          />
        )}
        <span className="absolute right-2 bottom-3 rounded bg-black/80 px-1.5 py-0.5 text-xs font-semibold text-white tabular-nums">
          {total ? `${at} / ${total}` : at}
        </span>
        <div
          className="absolute inset-x-0 bottom-0 h-1 bg-white/40"
          role="progressbar"
          aria-label="Watched"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
        >
          <div className="h-full bg-rose-600" style={{ width: `${pct}%` }} />
        </div>
      </div>
      <h3 className="mt-2 line-clamp-2 leading-snug font-medium text-zinc-900 group-hover:text-rose-600 dark:text-zinc-100 dark:group-hover:text-rose-400">
        {item.video.title}
      </h3>
      <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">{item.video.owner.name}</p>
    </Link>
  )
}
