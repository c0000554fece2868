// Pure helpers for the upload page: one file's upload state, what counts as a video, default
// titles, how a failure is classified, problem+json messages people can act on.

export type Visibility = 'PUBLIC' | 'UNLISTED' | 'PRIVATE'

export type UploadPhase = 'staged' | 'uploading' | 'paused' | 'finishing' | 'done' | 'error' | 'invalid'

/**
 * Why an upload stopped, decided from the response rather than from the message shown:
 * `offline` (no response: resumes by itself when the browser is back online), `refused` (the
 * server rejected the file itself — type, size, rights — so resuming cannot help), `failed`
 * (anything else: the viewer may resume).
 */
export type UploadFailure = 'offline' | 'refused' | 'failed'

export interface UploadItem {
  key: string
  file: File
  preview: string | null
  title: string
  description: string
  visibility: Visibility
  phase: UploadPhase
  sent: number
  speed: number
  error: string | null
  failure: UploadFailure | null
  /** Retrying after a network error (tus retries by itself; this is what the viewer sees meanwhile). */
  reconnecting: boolean
  videoId: string | null
}

/** Statuses after which tus must not retry: the request itself is refused. */
export const FINAL_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 409, 410, 413, 415, 422])

export function uploadFailure(status: number | null): UploadFailure {
  if (status === null || status === 0) return 'offline'
  return FINAL_STATUSES.has(status) ? 'refused' : 'failed'
}

export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'mpg', 'mpeg', 'ts', 'mts', 'm2ts', '3gp', 'ogv', 'wmv', 'flv']

export function isVideoFile(file: { name: string; type: string }): boolean {
  if (file.type.startsWith('video/')) return true
  const ext = file.name.split('.').pop()?.toLowerCase() ?? ''
  return (file.type === '' || file.type === 'application/octet-stream') && VIDEO_EXTENSIONS.includes(ext)
}

export function titleFromFilename(name: string): string {
  const base = name
    .replace(/\.[^.]+$/, '')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return (base || name).slice(0, 200)
}

/** A message for a failed tus request: status from the response, detail from problem+json when present. */
export function uploadErrorMessage(status: number | null, body: string | null, fallback: string): string {
  let detail: string | null = null
  if (body) {
    try {
      const p = JSON.parse(body) as { detail?: string; title?: string }
      detail = p.detail ?? p.title ?? null
    } catch {
      detail = body.length < 200 ? body.trim() : null
    }
  }
  if (status === 413) return `This file is too large for this server${detail ? ` (${detail})` : ''}.`
  if (status === 401) return 'Your session has ended. Sign in again, then resume.'
  if (status === 403) return detail ?? 'You may not upload here.'
  if (status === 415 || status === 422) return detail ?? 'This file is not a video this server accepts.'
  if (status === null || status === 0) return 'Connection lost. The upload resumes where it stopped.'
  if (status >= 500) return `The server failed (${status}). ${detail ?? 'Try again in a moment.'}`
  return detail ?? fallback
}
