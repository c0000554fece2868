// Console access for the player layers: prefixed logs (development, or `localStorage['reelhouse:debug'] = '1'`)
// and live objects under `window.__reelhouse` so their stats can be read from the console
// (`__reelhouse.chunkManager.getStats()`); in development also as the seed's `window.chunkManager`.

export type LogPrefix = 'ChunkManager' | 'VideoStreamManager' | 'Video'

export interface Logger {
  debug(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}

// Browser code: the bundler inlines NODE_ENV here (the server's env() is not in the client bundle).
const isDev = process.env.NODE_ENV === 'development'

function verbose(): boolean {
  if (isDev) return true
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('reelhouse:debug') === '1'
  } catch {
    return false
  }
}

export function playerLog(prefix: LogPrefix): Logger {
  const tag = `[${prefix}]`
  return {
    debug: (...args) => {
      if (verbose()) console.debug(tag, ...args)
    },
    warn: (...args) => console.warn(tag, ...args),
    error: (...args) => console.error(tag, ...args),
  }
}

/** What the console can reach. Each entry is the live object of the most recently mounted player. */
export interface DebugRegistry {
  chunkManager?: unknown
  videoStreamManager?: unknown
  player?: unknown
  [key: string]: unknown
}

const SEED_ALIASES: Record<string, string> = { chunkManager: 'chunkManager', videoStreamManager: 'videoStreamManager' }

/** Publishes `value` under `window.__reelhouse[key]`; returns a function that removes it again (if still the same). */
export function expose(key: string, value: unknown): () => void {
  if (typeof window === 'undefined') return () => {}
  const w = window as unknown as Record<string, unknown> & { __reelhouse?: DebugRegistry }
  if (!w.__reelhouse) w.__reelhouse = {}
  const registry = w.__reelhouse
  registry[key] = value
  const alias = isDev ? SEED_ALIASES[key] : undefined
  if (alias) w[alias] = value
  return () => {
    if (registry[key] === value) delete registry[key]
    if (alias && w[alias] === value) delete w[alias]
  }
}
