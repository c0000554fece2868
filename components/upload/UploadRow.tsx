'use client'

import { useId } from 'react'
import { formatBytes } from '@/components/gallery/format'
import { VisibilityOptions } from '@/components/VisibilityOptions'
import { UploadProcessing } from './UploadProcessing'
import type { UploadItem, Visibility } from './upload-item'

/** One file in the queue: its details while staged, then progress, errors and the actions its phase allows. */
export function UploadRow({
  item,
  onChange,
  onStart,
  onPause,
  onRemove,
}: {
  item: UploadItem
  onChange: (p: Partial<UploadItem>) => void
  onStart: () => void
  onPause: () => void
  onRemove: () => void
}) {
  const id = useId()
  const editable = item.phase === 'staged'
  const pct = item.file.size ? Math.min(100, Math.round((item.sent / item.file.size) * 100)) : 0
  const remaining = item.speed > 0 ? Math.max(0, (item.file.size - item.sent) / item.speed) : null
  const field =
    'w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus-visible:border-rose-500 focus-visible:ring-2 focus-visible:ring-rose-500/30 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950'
  const button = 'rounded-full px-3.5 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500'

  return (
    <article
      aria-labelledby={`${id}-name`}
      data-testid="upload-item"
      data-phase={item.phase}
      className="flex flex-col gap-4 rounded-2xl border border-zinc-200 bg-white p-4 shadow-sm sm:flex-row dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="relative aspect-video w-full shrink-0 self-start overflow-hidden rounded-lg bg-zinc-200 sm:w-48 dark:bg-zinc-800">
        {item.preview && (
          // A local preview of the chosen file (no upload involved); first frame only.
          <video src={`${item.preview}#t=0.5`} muted preload="metadata" playsInline className="absolute inset-0 h-full w-full object-cover" aria-hidden />
        )}
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-3">
        <p id={`${id}-name`} className="truncate text-sm text-zinc-500">
          <span className="font-medium text-zinc-800 dark:text-zinc-200">{item.file.name}</span> · {formatBytes(item.file.size)}
        </p>
        {item.phase !== 'invalid' && (
          <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
            <label className="flex flex-col gap-1 text-sm font-medium">
              Title
              <input className={field} value={item.title} maxLength={200} required disabled={!editable} onChange={(e) => onChange({ title: e.target.value })} />
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium">
              Visibility
              <select className={field} value={item.visibility} disabled={!editable} onChange={(e) => onChange({ visibility: e.target.value as Visibility })}>
                <VisibilityOptions />
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium sm:col-span-2">
              Description
              <textarea
                className={`${field} min-h-16`}
                value={item.description}
                maxLength={5000}
                rows={2}
                disabled={!editable}
                onChange={(e) => onChange({ description: e.target.value })}
              />
            </label>
          </div>
        )}

        {['uploading', 'paused', 'finishing', 'error', 'done'].includes(item.phase) && item.sent > 0 && (
          <div className="flex flex-col gap-1">
            <div
              className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
              role="progressbar"
              aria-label={`Upload of ${item.file.name}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct}
              data-testid="upload-progress"
            >
              <div
                className={`h-full transition-[width] ${item.phase === 'paused' || item.phase === 'error' ? 'bg-zinc-400' : item.phase === 'done' ? 'bg-emerald-500' : 'bg-rose-500'}`}
                style={{ width: `${pct}%` }}
              />
            </div>
            <p className="text-xs text-zinc-500 tabular-nums" aria-live="polite">
              {item.phase === 'finishing'
                ? '100% · checking the file…'
                : item.phase === 'done'
                  ? `100% · uploaded ${formatBytes(item.file.size)}`
                  : `${pct}% · ${formatBytes(item.sent)} of ${formatBytes(item.file.size)}${
                      item.phase === 'uploading' && item.speed > 0
                        ? ` · ${formatBytes(item.speed)}/s${remaining !== null ? ` · ${formatEta(remaining)} left` : ''}`
                        : ''
                    }${item.phase === 'paused' ? ' · paused' : ''}`}
            </p>
          </div>
        )}
        {item.phase === 'uploading' && item.sent === 0 && <p className="text-xs text-zinc-500">Starting…</p>}
        {item.reconnecting && (
          <p role="status" className="text-sm text-amber-600 dark:text-amber-400">
            Connection lost — retrying; the upload continues where it stopped.
          </p>
        )}
        {item.error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {item.error}
          </p>
        )}
        {item.phase === 'done' && item.videoId && <UploadProcessing videoId={item.videoId} title={item.title} onRemove={onRemove} />}

        <div className="flex flex-wrap gap-2">
          {item.phase === 'staged' && (
            <button type="button" onClick={onStart} className={`${button} bg-rose-600 text-white hover:bg-rose-500`}>
              Upload
            </button>
          )}
          {item.phase === 'uploading' && (
            <button
              type="button"
              onClick={onPause}
              className={`${button} border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800`}
            >
              Pause
            </button>
          )}
          {(item.phase === 'paused' || (item.phase === 'error' && item.failure !== 'refused')) && (
            <button type="button" onClick={onStart} className={`${button} bg-rose-600 text-white hover:bg-rose-500`}>
              Resume
            </button>
          )}
          {item.phase !== 'done' && item.phase !== 'finishing' && (
            <button type="button" onClick={onRemove} className={`${button} text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800`}>
              {item.phase === 'staged' || item.phase === 'invalid' || item.failure === 'refused' ? 'Remove' : 'Cancel'}
            </button>
          )}
        </div>
      </div>
    </article>
  )
}

function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`
  const m = Math.floor(seconds / 60)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`
}
