// Where a reopened video starts: the saved position, unless the viewer (almost) finished it.
// Anonymous viewers keep their positions in this browser's local storage.

/** Positions in the last 5 % count as finished: the video starts over. */
export const FINISHED_SHARE = 0.95
/** Less than this in, and there is nothing worth resuming. */
const MIN_RESUME_MS = 1000

export interface SavedPosition {
  positionMs: number
  durationMs: number | null
}

/** Seconds to start at, or undefined to start from the beginning. */
export function resumePoint(saved: SavedPosition | null | undefined, mediaDurationMs: number | null): number | undefined {
  if (!saved || saved.positionMs < MIN_RESUME_MS) return undefined
  const duration = saved.durationMs ?? mediaDurationMs
  if (duration && saved.positionMs >= duration * FINISHED_SHARE) return undefined
  return saved.positionMs / 1000
}

/** Whether a position counts as watched to the end (history shows it, "Continue watching" does not). */
export const isFinished = (positionMs: number, durationMs: number | null): boolean => !!durationMs && positionMs >= durationMs * FINISHED_SHARE

const KEY = 'reelhouse:progress:'
/** Anonymous history kept per browser: the oldest entries go past this many. */
const MAX_LOCAL_ENTRIES = 200

export function loadLocalPosition(videoId: string, storage: Storage | null = safeStorage()): SavedPosition | null {
  try {
    const raw = storage?.getItem(KEY + videoId)
    if (!raw) return null
    const v = JSON.parse(raw) as { positionMs?: unknown; durationMs?: unknown }
    if (typeof v.positionMs !== 'number' || !Number.isFinite(v.positionMs)) return null
    return { positionMs: v.positionMs, durationMs: typeof v.durationMs === 'number' ? v.durationMs : null }
  } catch {
    return null
  }
}

export function saveLocalPosition(videoId: string, pos: SavedPosition, storage: Storage | null = safeStorage()): void {
  if (!storage) return
  try {
    storage.setItem(KEY + videoId, JSON.stringify({ ...pos, updatedAt: Date.now() }))
    pruneLocal(storage)
  } catch {
    // Storage full or refused (private mode): resuming is a convenience.
  }
}

function pruneLocal(storage: Storage): void {
  const entries: { key: string; at: number }[] = []
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i)
    if (!key?.startsWith(KEY)) continue
    const at = Number((JSON.parse(storage.getItem(key) ?? '{}') as { updatedAt?: number }).updatedAt ?? 0)
    entries.push({ key, at })
  }
  if (entries.length <= MAX_LOCAL_ENTRIES) return
  entries.sort((a, b) => a.at - b.at)
  for (const e of entries.slice(0, entries.length - MAX_LOCAL_ENTRIES)) storage.removeItem(e.key)
}

function safeStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage
  } catch {
    return null
  }
}
