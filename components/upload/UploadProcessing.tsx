'use client'

import Link from 'next/link'
import { markOpen } from '@/components/player/preload'
import { useVideoStatus } from '@/components/player/useVideoStatus'

/**
 * After the upload: the transcode's live progress and the way to the video. The original is only
 * offered once the worker accepted the file (its encode is under way); a failed one can be removed.
 */
export function UploadProcessing({ videoId, title, onRemove }: { videoId: string; title: string; onRemove: () => void }) {
  const live = useVideoStatus(videoId, { status: 'processing' }, { live: true })
  const pct = Math.round(live.progress * 100)
  const accepted = live.status === 'ready' || (live.status === 'processing' && live.progress > 0)
  return (
    <div className="flex flex-col gap-2 rounded-xl bg-zinc-50 p-3 dark:bg-zinc-950" data-testid="processing" data-status={live.status}>
      {live.status === 'processing' && (
        <>
          <div
            className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
            role="progressbar"
            aria-label={`Processing ${title}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <div className="h-full bg-amber-500 transition-[width] duration-700" style={{ width: `${pct}%` }} />
          </div>
          <p className="text-xs text-zinc-500" aria-live="polite">
            {accepted ? `Uploaded · processing ${pct}% — you can watch the original already.` : 'Uploaded · checking the file…'}
          </p>
        </>
      )}
      {live.status === 'ready' && <p className="text-sm font-medium text-emerald-600 dark:text-emerald-400">Ready: adaptive streaming is available.</p>}
      {live.status === 'failed' && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          Processing failed: {live.view?.error ?? 'unknown reason'}
        </p>
      )}
      <p className="flex flex-wrap items-center gap-4 text-sm">
        {accepted && (
          <Link href={`/videos/${videoId}`} scroll={false} onClick={markOpen} className="font-medium text-rose-600 hover:underline dark:text-rose-400">
            Open video
          </Link>
        )}
        {live.status === 'failed' && (
          <button
            type="button"
            onClick={onRemove}
            className="rounded-full border border-zinc-300 px-3 py-1 font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Remove
          </button>
        )}
        <Link href="/me/videos" className="text-zinc-600 hover:underline dark:text-zinc-300">
          My videos
        </Link>
      </p>
    </div>
  )
}
