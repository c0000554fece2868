'use client'

import { useState } from 'react'
import type { VideoView } from '@/lib/videos/view'
import { choosePoster } from './choose-poster'

/** My videos: pick the poster among the generated thumbnails (opened on demand: it reads the video). */
export function PosterPicker({ videoId, onChosen }: { videoId: string; onChosen: (poster: string) => void }) {
  const [thumbs, setThumbs] = useState<string[] | null>(null)
  const [busy, setBusy] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)

  const open = async () => {
    setError(null)
    const res = await fetch(`/api/v1/videos/${encodeURIComponent(videoId)}`, { cache: 'no-store' })
    if (!res.ok) return setError(`Could not load the thumbnails (HTTP ${res.status}).`)
    setThumbs(((await res.json()) as VideoView).playback.thumbnails)
  }
  const pick = async (index: number) => {
    setBusy(index)
    setError(null)
    try {
      onChosen(await choosePoster(videoId, { thumbnailIndex: index }))
      setThumbs(null)
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(null)
    }
  }

  if (!thumbs) {
    return (
      <button type="button" onClick={() => void open()} className="rounded-full px-4 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800">
        Change poster
      </button>
    )
  }
  return (
    <fieldset className="flex w-full flex-col gap-2 text-sm" data-testid="poster-picker">
      <legend className="mb-1 font-medium">Choose the poster</legend>
      <div className="grid grid-cols-3 gap-2 sm:grid-cols-5">
        {thumbs.map((src, i) => (
          <button
            key={src}
            type="button"
            disabled={busy !== null}
            onClick={() => void pick(i + 1)}
            aria-label={`Thumbnail ${i + 1} as poster`}
            className="overflow-hidden rounded-md ring-rose-500 hover:ring-2 focus-visible:ring-2 disabled:opacity-50"
          >
            {/* biome-ignore lint/performance/noImgElement: stored thumbnails, explicit size, no optimizer */}
            <img src={src} alt="" width={160} height={90} loading="lazy" className="aspect-video w-full object-cover" />
          </button>
        ))}
      </div>
      <div className="flex items-center gap-2">
        <button type="button" onClick={() => setThumbs(null)} className="rounded-full px-3 py-1 font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800">
          Cancel
        </button>
        <span className="text-xs text-zinc-500">Or open the video and use “Use this frame as poster” at any moment.</span>
      </div>
      {error && (
        <p role="alert" className="text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  )
}
