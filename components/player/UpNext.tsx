'use client'

import { useEffect, useRef, useState } from 'react'
import { formatDuration } from '@/components/gallery/format'
import type { GalleryItem } from '@/lib/videos/gallery'

// "Up next": the list beside the player (below it on narrow screens) and, when a video ends, a
// countdown over the player that opens the next one unless cancelled (button or Esc).

export const UP_NEXT_SECONDS = 5

export function UpNextList({ items, onOpen }: { items: GalleryItem[]; onOpen: (id: string) => void }) {
  if (items.length === 0) return null
  return (
    <section aria-labelledby="up-next-heading" data-testid="up-next" className="flex min-w-0 flex-col gap-2 p-4 sm:p-5 xl:p-4">
      <h3 id="up-next-heading" className="text-sm font-semibold text-zinc-700 dark:text-zinc-200">
        Up next
      </h3>
      <ol className="flex flex-col gap-2">
        {items.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              onClick={() => onOpen(item.id)}
              className="flex w-full items-start gap-3 rounded-lg p-1 text-left outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-rose-500 dark:hover:bg-zinc-800"
            >
              <span className="relative block aspect-video w-32 shrink-0 overflow-hidden rounded-md bg-zinc-200 dark:bg-zinc-800">
                {item.poster && (
                  // biome-ignore lint/performance/noImgElement: stored posters, explicit size, no optimizer
                  <img
                    src={item.poster}
                    alt=""
                    width={128}
                    height={72}
                    loading="lazy"
                    decoding="async"
                    className="absolute inset-0 h-full w-full object-cover"
                  />
                )}
                {formatDuration(item.durationMs) && (
                  <span className="absolute right-1 bottom-1 rounded bg-black/80 px-1 text-[10px] font-semibold text-white">
                    {formatDuration(item.durationMs)}
                  </span>
                )}
              </span>
              <span className="min-w-0 flex-1">
                <span className="line-clamp-2 text-sm font-medium break-words">{item.title}</span>
                <span className="mt-0.5 block truncate text-xs text-zinc-500">{item.owner.name}</span>
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  )
}

/** Counts down over the player; `onGo` when it reaches 0 or on "Play now", `onCancel` on Cancel or Esc. */
export function UpNextCountdown({ next, onGo, onCancel }: { next: GalleryItem; onGo: () => void; onCancel: () => void }) {
  const [left, setLeft] = useState(UP_NEXT_SECONDS)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const go = useRef(onGo)
  go.current = onGo

  useEffect(() => {
    const started = Date.now()
    const t = setInterval(() => {
      const remaining = UP_NEXT_SECONDS - Math.floor((Date.now() - started) / 1000)
      setLeft(Math.max(0, remaining))
      if (remaining <= 0) {
        clearInterval(t)
        go.current()
      }
    }, 250)
    return () => clearInterval(t)
  }, [])

  // Esc cancels the countdown before the modal sees it (which would close): capture phase, first in line.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      e.stopPropagation()
      onCancel()
    }
    window.addEventListener('keydown', onKey, true)
    cancelRef.current?.focus({ preventScroll: true })
    return () => window.removeEventListener('keydown', onKey, true)
  }, [onCancel])

  return (
    <div
      role="dialog"
      aria-label="Up next"
      data-testid="up-next-countdown"
      className="absolute inset-0 z-20 flex items-center justify-center bg-black/75 p-3 text-white"
    >
      <div className="flex w-full max-w-md flex-col items-center gap-2 text-center sm:gap-3">
        <p className="text-xs tracking-wide text-zinc-300 uppercase sm:text-sm">
          Up next in <span data-testid="up-next-seconds">{left}</span> s
        </p>
        <p className="line-clamp-2 text-base font-semibold break-words sm:text-lg" data-testid="up-next-title">
          {next.title}
        </p>
        <div className="flex gap-2">
          <button
            ref={cancelRef}
            type="button"
            onClick={onCancel}
            className="rounded-full border border-white/40 px-4 py-1.5 text-sm font-medium hover:bg-white/10 focus-visible:ring-2 focus-visible:ring-white focus-visible:outline-none"
          >
            Cancel
          </button>
          <button
            type="button"
            onClick={onGo}
            className="rounded-full bg-white px-4 py-1.5 text-sm font-medium text-zinc-900 hover:bg-zinc-200 focus-visible:ring-2 focus-visible:ring-rose-500 focus-visible:outline-none"
          >
            Play now
          </button>
        </div>
      </div>
    </div>
  )
}
