'use client'

import { useCallback, useEffect, useRef, useState } from 'react'
import { type DetailedError, Upload } from 'tus-js-client'
import { FINAL_STATUSES, isVideoFile, titleFromFilename, type UploadItem, uploadErrorMessage, uploadFailure } from './upload-item'

const TUS_ENDPOINT = '/api/v1/uploads'
// Chunks give resumable checkpoints and keep any single request bounded; the last one carries the video id.
const CHUNK_BYTES = 64 * 1024 * 1024
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000]

let seq = 0

export type ItemPatch = Partial<UploadItem> | ((i: UploadItem) => Partial<UploadItem>)

/**
 * The upload queue: one tus upload per file (staged → uploading ⇄ paused → finishing → done, or
 * error), resumed across reloads by fingerprint, resumed when the browser comes back online after
 * a lost connection, paused when the page is left.
 */
export function useTusUploads() {
  const [items, setItems] = useState<UploadItem[]>([])
  const uploads = useRef(new Map<string, Upload>())
  const itemsRef = useRef(items)
  itemsRef.current = items

  const update = useCallback((key: string, patch: ItemPatch) => {
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...(typeof patch === 'function' ? patch(i) : patch) } : i)))
  }, [])

  const addFiles = useCallback((files: FileList | File[]) => {
    const added: UploadItem[] = Array.from(files).map((file) => {
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
        failure: null,
        reconnecting: false,
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
      const existing = uploads.current.get(key)
      update(key, { phase: 'uploading', error: null, failure: null, reconnecting: false })
      if (existing) {
        existing.start()
        return
      }
      const upload = new Upload(
        item.file,
        tusOptions(
          item,
          (patch) => update(key, patch),
          () => uploads.current.delete(key),
        ),
      )
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
      for (const i of itemsRef.current) if (i.phase === 'error' && i.failure === 'offline') void start(i.key)
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

  return { items, update, addFiles, start, pause, remove }
}

/** tus options for one item; every callback reports through `patch`, `forget` drops the finished upload. */
function tusOptions(item: UploadItem, patch: (p: ItemPatch) => void, forget: () => void): ConstructorParameters<typeof Upload>[1] {
  let last = { t: performance.now(), bytes: 0 }
  return {
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
        patch((i) => ({ sent, speed: i.speed ? i.speed * 0.6 + rate * 0.4 : rate, reconnecting: false, phase: sent >= total ? 'finishing' : 'uploading' }))
      }
    },
    onAfterResponse: (_req, res) => {
      const id = res.getHeader('Reelhouse-Video-Id')
      if (id) patch({ videoId: id })
    },
    onShouldRetry: (err: DetailedError) => {
      const status = err.originalResponse?.getStatus() ?? 0
      if (FINAL_STATUSES.has(status)) return false
      patch({ reconnecting: true })
      return true
    },
    onSuccess: ({ lastResponse }) => {
      const id = lastResponse.getHeader('Reelhouse-Video-Id')
      patch((i) => ({
        phase: 'done',
        sent: i.file.size,
        reconnecting: false,
        videoId: id ?? i.videoId,
        error: id || i.videoId ? null : 'Uploaded, but the server did not say which video it made. Find it under My videos.',
      }))
      forget()
    },
    onError: (err) => {
      const res = (err as DetailedError).originalResponse ?? null
      const status = res ? res.getStatus() : null
      patch({
        phase: 'error',
        reconnecting: false,
        failure: uploadFailure(status),
        error: uploadErrorMessage(status, res ? res.getBody() : null, err.message),
      })
    },
  }
}
