'use client'

import Link from 'next/link'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { GalleryItem, GalleryPage } from '@/lib/videos/gallery'
import type { GallerySort } from '@/lib/videos/gallery-query'
import { fetchGalleryPage } from './fetch-page'
import { clearGalleryOrder, setGalleryOrder } from './store'
import { CardSkeleton, VideoCard } from './VideoCard'

export const GRID = 'grid grid-cols-[repeat(auto-fill,minmax(min(100%,17rem),1fr))] gap-x-5 gap-y-8'

interface Props {
  initial: GalleryPage
  q: string
  sort: GallerySort
  viewerId: string | null
}

/** The grid with infinite scroll: the next page loads as the end comes into view (or on "Load more"). */
export function Gallery({ initial, q, sort, viewerId }: Props) {
  const [items, setItems] = useState<GalleryItem[]>(initial.items)
  const [cursor, setCursor] = useState(initial.nextCursor)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const sentinel = useRef<HTMLDivElement>(null)
  const state = useRef({ items, cursor, loading: false })
  state.current.items = items
  state.current.cursor = cursor

  const loadMore = useCallback(async (): Promise<string[]> => {
    const s = state.current
    if (s.loading || !s.cursor) return s.items.map((i) => i.id)
    s.loading = true
    setLoading(true)
    setError(null)
    try {
      const page = await fetchGalleryPage({ q, sort, cursor: s.cursor })
      const seen = new Set(s.items.map((i) => i.id))
      const merged = [...s.items, ...page.items.filter((i) => !seen.has(i.id))]
      s.items = merged
      s.cursor = page.nextCursor
      setItems(merged)
      setCursor(page.nextCursor)
      return merged.map((i) => i.id)
    } catch {
      setError('Could not load more videos.')
      return s.items.map((i) => i.id)
    } finally {
      s.loading = false
      setLoading(false)
    }
  }, [q, sort])

  // For the gallery bench: the first moment the grid is hydrated and answers input.
  useEffect(() => {
    if (!performance.getEntriesByName('reelhouse:gallery-interactive').length) performance.mark('reelhouse:gallery-interactive')
  }, [])

  useEffect(() => {
    const ids = items.map((i) => i.id)
    setGalleryOrder({ ids, loadMore: cursor ? loadMore : null, items })
    return () => clearGalleryOrder(ids)
  }, [items, cursor, loadMore])

  useEffect(() => {
    const el = sentinel.current
    if (!el || !cursor) return
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void loadMore()
      },
      { rootMargin: '800px 0px' },
    )
    io.observe(el)
    return () => io.disconnect()
  }, [cursor, loadMore])

  if (items.length === 0) return <EmptyState q={q} signedIn={!!viewerId} />

  return (
    <section aria-label="Videos">
      <ul className={GRID} data-testid="gallery">
        {items.map((item, i) => (
          <li key={item.id}>
            <VideoCard item={item} viewerId={viewerId} eager={i < 8} />
          </li>
        ))}
        {loading &&
          Array.from({ length: 8 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <li key={`s${i}`}>
              <CardSkeleton />
            </li>
          ))}
      </ul>
      <div ref={sentinel} className="h-px" aria-hidden />
      <div className="mt-10 flex min-h-10 justify-center">
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}{' '}
            <button type="button" className="font-medium underline" onClick={() => void loadMore()}>
              Try again
            </button>
          </p>
        )}
        {!error && cursor && !loading && (
          <button
            type="button"
            onClick={() => void loadMore()}
            className="rounded-full border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            Load more videos
          </button>
        )}
        {!cursor && items.length > 12 && <p className="text-sm text-zinc-500">You have reached the end.</p>}
      </div>
    </section>
  )
}

function EmptyState({ q, signedIn }: { q: string; signedIn: boolean }) {
  if (q) {
    return (
      <div className="rounded-2xl border border-dashed border-zinc-300 p-12 text-center dark:border-zinc-700" data-testid="gallery-empty">
        <p className="text-lg font-medium">No videos match “{q}”.</p>
        <p className="mt-2 text-zinc-500">
          Try other words, or{' '}
          <Link href="/" className="font-medium text-rose-600 hover:underline dark:text-rose-400">
            show every video
          </Link>
          .
        </p>
      </div>
    )
  }
  return (
    <div
      className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-300 px-6 py-16 text-center dark:border-zinc-700"
      data-testid="gallery-empty"
    >
      <span
        aria-hidden
        className="mb-4 flex h-14 w-14 items-center justify-center rounded-2xl bg-gradient-to-br from-rose-500 to-orange-400 text-white shadow-lg"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="h-7 w-7 fill-current">
          <path d="M11 16V7.8l-3.3 3.3-1.4-1.4L12 4l5.7 5.7-1.4 1.4L13 7.8V16h-2Zm-6 4v-5h2v3h10v-3h2v5H5Z" />
        </svg>
      </span>
      <p className="text-lg font-medium">No videos yet</p>
      <p className="mt-1 max-w-sm text-zinc-500">Upload a clip and it plays within seconds, while the adaptive versions are prepared.</p>
      <Link
        href={signedIn ? '/upload' : '/signin?callbackUrl=/upload'}
        className="mt-6 rounded-full bg-rose-600 px-5 py-2.5 font-medium text-white hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600"
      >
        Upload a video
      </Link>
    </div>
  )
}

export function GallerySkeleton({ count = 12 }: { count?: number }) {
  return (
    <ul className={GRID} aria-busy="true" aria-label="Loading videos">
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <li key={i}>
          <CardSkeleton />
        </li>
      ))}
    </ul>
  )
}
