'use client'

import Link from 'next/link'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { type DetailedError, Upload } from 'tus-js-client'
import { formatBytes } from '@/components/gallery/format'
import { markOpen } from '@/components/player/preload'
import { useVideoStatus } from '@/components/player/useVideoStatus'
import { isVideoFile, titleFromFilename, uploadErrorMessage, type Visibility } from './upload-item'
import { VisibilityOptions } from '@/components/VisibilityOptions'

type Phase = 'staged' | 'uploading' | 'paused' | 'finishing' | 'done' | 'error' | 'invalid'

interface Item {
  key: string
  file: File
  preview: string | null
  title: string
  description: string
  visibility: Visibility
  phase: Phase
  sent: number
  speed: number
  error: string | null
  /** Retrying after a network error (tus retries by itself; this is what the viewer sees meanwhile). */
  reconnecting: boolean
  /** The server refused the file itself (type, size, rights): resuming cannot help. */
  refused: boolean
  videoId: string | null
}

const TUS_ENDPOINT = '/api/v1/uploads'
// Chunks give resumable checkpoints and keep any single request bounded; the last one carries the video id.
const CHUNK_BYTES = 64 * 1024 * 1024
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000]
const FINAL_STATUSES = new Set([400, 401, 403, 404, 409, 410, 413, 415, 422])

let seq = 0

export function Uploader() {
  const [items, setItems] = useState<Item[]>([])
  const [dragging, setDragging] = useState(false)
  const uploads = useRef(new Map<string, Upload>())
  const itemsRef = useRef(items)
  itemsRef.current = items
  const inputId = useId()

  const update = useCallback((key: string, patch: Partial<Item> | ((i: Item) => Partial<Item>)) => {
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...(typeof patch === 'function' ? patch(i) : patch) } : i)))
  }, [])

  const addFiles = useCallback((files: FileList | File[]) => {
    const added: Item[] = Array.from(files).map((file) => {
      const ok = isVideoFile(file)
      return {
        key: `f${++seq}`,
        file,
        preview: ok ? URL.createObjectURL(file) : null,
        title: titleFromFilename(file.name),
        description: '',
        visibility: 'PUBLIC',
        phase: ok ? 'staged' : 'invalid',
        sent: 0,
        speed: 0,
        error: ok ? null : `“${file.name}” is not a video file.`,
        reconnecting: false,
        refused: false,
        videoId: null,
      }
    })
    setItems((list) => [...list, ...added])
  }, [])

  const start = useCallback(
    async (key: string) => {
      const item = itemsRef.current.find((i) => i.key === key)
      if (!item || !['staged', 'paused', 'error'].includes(item.phase)) return
      if (!item.title.trim()) return update(key, { error: 'A title is required.' })
      let upload = uploads.current.get(key)
      update(key, { phase: 'uploading', error: null, reconnecting: false })
      if (upload) {
        upload.start()
        return
      }
      let last = { t: performance.now(), bytes: 0 }
      upload = new Upload(item.file, {
        endpoint: new URL(TUS_ENDPOINT, window.location.origin).toString(),
        chunkSize: CHUNK_BYTES,
        retryDelays: RETRY_DELAYS,
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        metadata: {
          title: item.title.trim(),
          description: item.description.trim(),
          visibility: item.visibility,
          filename: item.file.name,
          filetype: item.file.type || 'application/octet-stream',
        },
        onProgress: (sent, total) => {
          const now = performance.now()
          const dt = now - last.t
          if (dt >= 500 || sent === total) {
            const rate = ((sent - last.bytes) / Math.max(dt, 1)) * 1000
            last = { t: now, bytes: sent }
            update(key, (i) => ({ sent, speed: i.speed ? i.speed * 0.6 + rate * 0.4 : rate, reconnecting: false, phase: sent >= total ? 'finishing' : 'uploading' }))
          }
        },
        onAfterResponse: (_req, res) => {
          const id = res.getHeader('Reelhouse-Video-Id')
          if (id) update(key, { videoId: id })
        },
        onShouldRetry: (err: DetailedError) => {
          const status = err.originalResponse?.getStatus() ?? 0
          if (FINAL_STATUSES.has(status)) return false
          update(key, { reconnecting: true })
          return true
        },
        onSuccess: ({ lastResponse }) => {
          const id = lastResponse.getHeader('Reelhouse-Video-Id')
          update(key, (i) => ({
            phase: 'done',
            sent: i.file.size,
            reconnecting: false,
            videoId: id ?? i.videoId,
            error: id || i.videoId ? null : 'Uploaded, but the server did not say which video it made. Find it under My videos.',
          }))
          uploads.current.delete(key)
        },
        onError: (err) => {
          const detailed = err as DetailedError
          const res = detailed.originalResponse ?? null
          const status = res ? res.getStatus() : null
          update(key, {
            phase: 'error',
            reconnecting: false,
            refused: status !== null && FINAL_STATUSES.has(status),
            error: uploadErrorMessage(status, res ? res.getBody() : null, err.message),
          })
        },
      })
      uploads.current.set(key, upload)
      // The same file started before (another tab, a reload): continue that upload instead.
      const previous = await upload.findPreviousUploads().catch(() => [])
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0])
      upload.start()
    },
    [update],
  )

  const pause = useCallback(
    (key: string) => {
      void uploads.current.get(key)?.abort(false)
      update(key, { phase: 'paused', reconnecting: false })
    },
    [update],
  )

  const remove = useCallback((key: string) => {
    const upload = uploads.current.get(key)
    uploads.current.delete(key)
    const item = itemsRef.current.find((i) => i.key === key)
    // Only reachable for a finished upload once processing failed: the video is of no use to anyone.
    if (item?.phase === 'done' && item.videoId) void fetch(`/api/v1/videos/${encodeURIComponent(item.videoId)}`, { method: 'DELETE' }).catch(() => undefined)
    // Cancelling an unfinished upload also deletes its partial bytes on the server.
    if (upload && item && item.phase !== 'done') void upload.abort(true).catch(() => undefined)
    if (item?.preview) URL.revokeObjectURL(item.preview)
    setItems((list) => list.filter((i) => i.key !== key))
  }, [])

  // Back online: resume what the network interrupted.
  useEffect(() => {
    const online = () => {
      for (const i of itemsRef.current) if (i.phase === 'error' && i.error?.startsWith('Connection lost')) void start(i.key)
    }
    window.addEventListener('online', online)
    return () => window.removeEventListener('online', online)
  }, [start])

  // Leaving the page pauses uploads (they resume from the same offset next time); warn first.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (itemsRef.current.some((i) => i.phase === 'uploading' || i.phase === 'finishing')) e.preventDefault()
    }
    window.addEventListener('beforeunload', warn)
    const map = uploads.current
    return () => {
      window.removeEventListener('beforeunload', warn)
      for (const u of map.values()) void u.abort(false)
      for (const i of itemsRef.current) if (i.preview) URL.revokeObjectURL(i.preview)
    }
  }, [])

  const staged = items.filter((i) => i.phase === 'staged')

  return (
    <div className="flex flex-col gap-6">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: drop target only; the file input inside is the keyboard path */}
      <div
        onDragEnter={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragOver={(e) => {
          e.preventDefault()
          e.dataTransfer.dropEffect = 'copy'
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node)) setDragging(false)
        }}
        onDrop={(e) => {
          e.preventDefault()
          setDragging(false)
          if (e.dataTransfer.files.length) addFiles(e.dataTransfer.files)
        }}
        data-testid="dropzone"
        className={`flex flex-col items-center justify-center gap-3 rounded-2xl border-2 border-dashed px-6 py-12 text-center transition-colors ${
          dragging ? 'border-rose-500 bg-rose-50 dark:bg-rose-950/30' : 'border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900/50'
        }`}
      >
        <span aria-hidden className="flex h-12 w-12 items-center justify-center rounded-2xl bg-gradient-to-br from-rose-500 to-orange-400 text-white shadow">
          <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6 fill-current">
            <path d="M11 16V7.8l-3.3 3.3-1.4-1.4L12 4l5.7 5.7-1.4 1.4L13 7.8V16h-2Zm-6 4v-5h2v3h10v-3h2v5H5Z" />
          </svg>
        </span>
        <p className="text-base font-medium">Drag and drop video files here</p>
        <p className="text-sm text-zinc-500">One or many; large files resume if the connection drops.</p>
        <label
          htmlFor={inputId}
          className="mt-2 cursor-pointer rounded-full bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-500 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-rose-600"
        >
          Choose files
          <input
            id={inputId}
            type="file"
            accept="video/*,.mkv,.mov,.m4v,.ts,.mts"
            multiple
            className="sr-only"
            aria-label="Choose video files"
            onChange={(e) => {
              if (e.target.files?.length) addFiles(e.target.files)
              e.target.value = ''
            }}
          />
        </label>
      </div>

      {staged.length > 1 && (
        <div className="flex justify-end">
          <button
            type="button"
            onClick={() => {
              for (const i of staged) void start(i.key)
            }}
            className="rounded-full bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
          >
            Upload all ({staged.length})
          </button>
        </div>
      )}

      {items.length > 0 && (
        <ul className="flex flex-col gap-4" aria-label="Files">
          {items.map((item) => (
            <li key={item.key}>
              <UploadRow item={item} onChange={(p) => update(item.key, p)} onStart={() => void start(item.key)} onPause={() => pause(item.key)} onRemove={() => remove(item.key)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function UploadRow({
  item,
  onChange,
  onStart,
  onPause,
  onRemove,
}: {
  item: Item
  onChange: (p: Partial<Item>) => void
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
  const button =
    'rounded-full px-3.5 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500'

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
              <textarea className={`${field} min-h-16`} value={item.description} maxLength={5000} rows={2} disabled={!editable} onChange={(e) => onChange({ description: e.target.value })} />
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
                    item.phase === 'uploading' && item.speed > 0 ? ` · ${formatBytes(item.speed)}/s${remaining !== null ? ` · ${formatEta(remaining)} left` : ''}` : ''
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
        {item.phase === 'done' && item.videoId && <Processing videoId={item.videoId} title={item.title} onRemove={onRemove} />}

        <div className="flex flex-wrap gap-2">
          {item.phase === 'staged' && (
            <button type="button" onClick={onStart} className={`${button} bg-rose-600 text-white hover:bg-rose-500`}>
              Upload
            </button>
          )}
          {item.phase === 'uploading' && (
            <button type="button" onClick={onPause} className={`${button} border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800`}>
              Pause
            </button>
          )}
          {(item.phase === 'paused' || (item.phase === 'error' && !item.refused)) && (
            <button type="button" onClick={onStart} className={`${button} bg-rose-600 text-white hover:bg-rose-500`}>
              Resume
            </button>
          )}
          {item.phase !== 'done' && item.phase !== 'finishing' && (
            <button type="button" onClick={onRemove} className={`${button} text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800`}>
              {item.phase === 'staged' || item.phase === 'invalid' || item.refused ? 'Remove' : 'Cancel'}
            </button>
          )}
        </div>
      </div>
    </article>
  )
}

/**
 * After the upload: the transcode's live progress and the way to the video. The original is only
 * offered once the worker accepted the file (its encode is under way); a failed one can be removed.
 */
function Processing({ videoId, title, onRemove }: { videoId: string; title: string; onRemove: () => void }) {
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
          <button type="button" onClick={onRemove} className="rounded-full border border-zinc-300 px-3 py-1 font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:border-zinc-700 dark:hover:bg-zinc-800">
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

function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`
  const m = Math.floor(seconds / 60)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`
}
