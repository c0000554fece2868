'use client'

import Link from 'next/link'
import { useId, useRef, useState } from 'react'
import { fetchGalleryPage } from '@/components/gallery/fetch-page'
import type { GalleryItem, GalleryPage } from '@/lib/videos/gallery'
import { StatusBadge } from '@/components/gallery/Badges'
import { formatAge, formatDuration, formatViews } from '@/components/gallery/format'
import { markOpen, preloadPlayer } from '@/components/player/preload'
import { useVideoStatus } from '@/components/player/useVideoStatus'
import { PosterPicker } from '@/components/poster/PosterPicker'
import { VisibilityOptions } from '@/components/VisibilityOptions'

type Visibility = GalleryItem['visibility']

export function MyVideos({ initial, viewerId }: { initial: GalleryPage; viewerId: string }) {
  const [items, setItems] = useState(initial.items)
  const [cursor, setCursor] = useState(initial.nextCursor)
  const [loading, setLoading] = useState(false)
  const headingRef = useRef<HTMLParagraphElement>(null)

  const more = async () => {
    if (!cursor || loading) return
    setLoading(true)
    try {
      const page = await fetchGalleryPage({ mine: true, cursor })
      setItems((list) => [...list, ...page.items.filter((i) => !list.some((x) => x.id === i.id))])
      setCursor(page.nextCursor)
    } finally {
      setLoading(false)
    }
  }

  if (items.length === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-zinc-300 p-12 text-center dark:border-zinc-700" data-testid="my-videos-empty">
        <p className="text-lg font-medium">You have not uploaded anything yet.</p>
        <Link href="/upload" className="mt-4 inline-block rounded-full bg-rose-600 px-4 py-2 font-medium text-white hover:bg-rose-500">
          Upload a video
        </Link>
      </div>
    )
  }

  return (
    <>
      <p ref={headingRef} tabIndex={-1} className="sr-only">
        {items.length} videos
      </p>
      <ul className="flex flex-col gap-4" data-testid="my-videos">
        {items.map((item) => (
          <li key={item.id} id={`v-${item.id}`} className="scroll-mt-20">
            <VideoRow
              item={item}
              viewerId={viewerId}
              onSaved={(next) => setItems((list) => list.map((i) => (i.id === next.id ? next : i)))}
              onDeleted={() => {
                setItems((list) => list.filter((i) => i.id !== item.id))
                headingRef.current?.focus()
              }}
            />
          </li>
        ))}
      </ul>
      {cursor && (
        <div className="mt-8 flex justify-center">
          <button
            type="button"
            disabled={loading}
            onClick={() => void more()}
            className="rounded-full border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </>
  )
}

async function problemMessage(res: Response): Promise<string> {
  try {
    const p = (await res.json()) as { detail?: string; title?: string; errors?: { message?: string }[] }
    return p.errors?.[0]?.message ?? p.detail ?? p.title ?? `HTTP ${res.status}`
  } catch {
    return `HTTP ${res.status}`
  }
}

function VideoRow({ item, viewerId, onSaved, onDeleted }: { item: GalleryItem; viewerId: string; onSaved: (i: GalleryItem) => void; onDeleted: () => void }) {
  const id = useId()
  const [title, setTitle] = useState(item.title)
  const [description, setDescription] = useState(item.description)
  const [visibility, setVisibility] = useState<Visibility>(item.visibility)
  const [downloadable, setDownloadable] = useState(item.downloadable)
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const [confirming, setConfirming] = useState(false)
  const live = useVideoStatus(
    item.id,
    { status: item.status, contentHash: item.contentHash },
    { enabled: item.status === 'processing' && item.owner.id === viewerId, live: true },
  )
  const dirty = title !== item.title || description !== item.description || visibility !== item.visibility || downloadable !== item.downloadable
  const [chosenPoster, setChosenPoster] = useState<string | null>(null)
  const poster = chosenPoster ?? live.view?.playback.poster ?? item.poster
  const duration = formatDuration(item.durationMs)

  const save = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!title.trim()) return setNote({ kind: 'error', text: 'A title is required.' })
    setBusy(true)
    setNote(null)
    try {
      const res = await fetch(`/api/v1/videos/${encodeURIComponent(item.id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: title.trim(), description: description.trim(), visibility, downloadable }),
      })
      if (!res.ok) return setNote({ kind: 'error', text: await problemMessage(res) })
      onSaved({ ...item, title: title.trim(), description: description.trim(), visibility, downloadable })
      setTitle(title.trim())
      setDescription(description.trim())
      setNote({ kind: 'ok', text: 'Saved.' })
    } catch {
      setNote({ kind: 'error', text: 'Could not reach the server.' })
    } finally {
      setBusy(false)
    }
  }

  const remove = async () => {
    setBusy(true)
    setNote(null)
    try {
      const res = await fetch(`/api/v1/videos/${encodeURIComponent(item.id)}`, { method: 'DELETE' })
      if (res.ok || res.status === 404) return onDeleted()
      setNote({ kind: 'error', text: await problemMessage(res) })
    } catch {
      setNote({ kind: 'error', text: 'Could not reach the server.' })
    } finally {
      setBusy(false)
      setConfirming(false)
    }
  }

  const field =
    'w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus-visible:border-rose-500 focus-visible:ring-2 focus-visible:ring-rose-500/30 dark:border-zinc-700 dark:bg-zinc-950'
  return (
    <form
      onSubmit={save}
      aria-labelledby={`${id}-t`}
      data-testid="my-video"
      className="flex flex-col gap-4 rounded-2xl border border-zinc-200 bg-white p-4 shadow-sm sm:flex-row dark:border-zinc-800 dark:bg-zinc-900"
    >
      <Link
        href={`/videos/${item.id}`}
        scroll={false}
        onClick={markOpen}
        onPointerEnter={preloadPlayer}
        aria-label={`Watch ${item.title}`}
        className="relative block aspect-video w-full shrink-0 self-start overflow-hidden rounded-lg bg-zinc-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 sm:w-52 dark:bg-zinc-800"
      >
        {poster ? (
          // biome-ignore lint/performance/noImgElement: stored posters, explicit size, no optimizer
          <img src={poster} alt="" width={416} height={234} loading="lazy" decoding="async" className="absolute inset-0 h-full w-full object-cover" />
        ) : (
          <span className="absolute inset-0 flex items-center justify-center" aria-hidden>
            <svg aria-hidden viewBox="0 0 24 24" className="h-9 w-9 fill-zinc-400 dark:fill-zinc-600">
              <path d="M4 5h11a2 2 0 0 1 2 2v1.5l3.3-2.2A1 1 0 0 1 22 7.1v9.8a1 1 0 0 1-1.7.8L17 15.5V17a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2Z" />
            </svg>
          </span>
        )}
        {duration && live.status === 'ready' && (
          <span className="absolute right-1.5 bottom-1.5 rounded bg-black/80 px-1.5 text-xs font-semibold text-white">{duration}</span>
        )}
        <StatusBadge status={live.status} progress={live.status === 'processing' ? live.progress : null} />
      </Link>
      <div className="flex min-w-0 flex-1 flex-col gap-3">
        <p id={`${id}-t`} className="sr-only">
          {item.title}
        </p>
        <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
          <label className="flex flex-col gap-1 text-sm font-medium">
            Title
            <input className={field} value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            Visibility
            <select className={field} value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)}>
              <VisibilityOptions />
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium sm:col-span-2">
            Description
            <textarea className={`${field} min-h-16`} rows={2} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <label className="flex items-center gap-2 text-sm sm:col-span-2">
            <input type="checkbox" checked={downloadable} onChange={(e) => setDownloadable(e.target.checked)} className="h-4 w-4 accent-rose-600" />
            Allow download of the original
          </label>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="submit"
            disabled={!dirty || busy}
            className="rounded-full bg-rose-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-rose-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600 disabled:opacity-40"
          >
            Save
          </button>
          {live.status === 'ready' && item.owner.id === viewerId && (
            <PosterPicker
              videoId={item.id}
              onChosen={(next) => {
                setChosenPoster(next)
                onSaved({ ...item, poster: next })
                setNote({ kind: 'ok', text: 'Poster changed.' })
              }}
            />
          )}
          {!confirming ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirming(true)}
              className="rounded-full px-4 py-1.5 text-sm font-medium text-red-600 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 dark:text-red-400 dark:hover:bg-red-950/40"
            >
              Delete
            </button>
          ) : (
            <fieldset className="flex items-center gap-2 text-sm">
              <legend className="sr-only">Confirm delete</legend>
              Delete “{item.title}”?
              <button
                type="button"
                // biome-ignore lint/a11y/noAutofocus: moves focus to the confirmation the viewer just asked for
                autoFocus
                disabled={busy}
                onClick={() => void remove()}
                className="rounded-full bg-red-600 px-3 py-1 font-medium text-white hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
              >
                Yes, delete
              </button>
              <button
                type="button"
                onClick={() => setConfirming(false)}
                className="rounded-full px-3 py-1 font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800"
              >
                Keep
              </button>
            </fieldset>
          )}
          <span className="ml-auto text-xs text-zinc-500">
            {formatViews(item.views)} ·{' '}
            <time suppressHydrationWarning dateTime={item.createdAt}>
              {formatAge(item.createdAt)}
            </time>
          </span>
        </div>
        {note && (
          <p
            role={note.kind === 'error' ? 'alert' : 'status'}
            className={`text-sm ${note.kind === 'error' ? 'text-red-600 dark:text-red-400' : 'text-emerald-600 dark:text-emerald-400'}`}
          >
            {note.text}
          </p>
        )}
      </div>
    </form>
  )
}
