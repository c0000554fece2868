'use client'

import { useRouter } from 'next/navigation'
import { useEffect, useRef, useState, useTransition } from 'react'
import type { GallerySort } from '@/lib/videos/gallery-query'

const SORTS: { value: GallerySort; label: string }[] = [
  { value: 'newest', label: 'Newest' },
  { value: 'views', label: 'Most viewed' },
]

export function galleryHref(q: string, sort: GallerySort): string {
  const sp = new URLSearchParams()
  if (q.trim()) sp.set('q', q.trim())
  if (sort !== 'newest') sp.set('sort', sort)
  const s = sp.toString()
  return s ? `/?${s}` : '/'
}

/** Search (server-side, as you type) and sort; both live in the URL so results can be shared. */
export function GalleryToolbar({ q, sort }: { q: string; sort: GallerySort }) {
  const router = useRouter()
  const [pending, startTransition] = useTransition()
  const [text, setText] = useState(q)
  const last = useRef(q)

  useEffect(() => {
    setText(q)
    last.current = q
  }, [q])

  const go = (nextQ: string, nextSort: GallerySort) => {
    last.current = nextQ
    startTransition(() => router.replace(galleryHref(nextQ, nextSort), { scroll: false }))
  }

  useEffect(() => {
    if (text.trim() === last.current.trim()) return
    const t = setTimeout(() => go(text, sort), 300)
    return () => clearTimeout(t)
  })

  return (
    <div className="flex w-full flex-wrap items-center gap-3 sm:w-auto">
      {/* A row of its own on phones: the sort buttons would squeeze it to a few letters. */}
      <search className="relative min-w-0 basis-full sm:w-80 sm:flex-none sm:basis-auto">
        <form
          className="relative"
          onSubmit={(e) => {
            e.preventDefault()
            go(text, sort)
          }}
        >
          <svg aria-hidden viewBox="0 0 20 20" className="pointer-events-none absolute top-1/2 left-3 h-4 w-4 -translate-y-1/2 fill-zinc-400">
            <path d="M8.5 3a5.5 5.5 0 0 1 4.38 8.82l3.65 3.65-1.06 1.06-3.65-3.65A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z" />
          </svg>
          <input
            type="search"
            name="q"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Search videos"
            aria-label="Search videos"
            maxLength={200}
            className="h-10 w-full rounded-full border border-zinc-300 bg-white pr-9 pl-9 text-sm outline-none placeholder:text-zinc-400 focus-visible:border-rose-500 focus-visible:ring-2 focus-visible:ring-rose-500/30 dark:border-zinc-700 dark:bg-zinc-900"
          />
          {pending && (
            <span
              aria-hidden
              className="absolute top-1/2 right-3 h-4 w-4 -translate-y-1/2 animate-spin rounded-full border-2 border-zinc-300 border-t-rose-500"
            />
          )}
        </form>
      </search>
      <fieldset className="flex rounded-full bg-zinc-200/70 p-1 text-sm dark:bg-zinc-800">
        <legend className="sr-only">Sort by</legend>
        {SORTS.map((s) => (
          <button
            key={s.value}
            type="button"
            aria-pressed={sort === s.value}
            onClick={() => sort !== s.value && go(text, s.value)}
            className="rounded-full px-3 py-1.5 font-medium text-zinc-600 outline-none hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-rose-500 aria-pressed:bg-white aria-pressed:text-zinc-900 aria-pressed:shadow-sm dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-950 dark:aria-pressed:text-zinc-100"
          >
            {s.label}
          </button>
        ))}
      </fieldset>
    </div>
  )
}
