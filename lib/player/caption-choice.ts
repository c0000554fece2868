// Which caption track a player shows: `?captions=fr` in the page URL first, then the viewer's last
// choice in the menu (kept in local storage, `off` included), else none. Pure, for the browser and
// its tests.

export const CAPTIONS_KEY = 'reelhouse:captions'
export const CAPTIONS_OFF = 'off'

type Store = Pick<Storage, 'getItem' | 'setItem'>

const defaultStore = (): Store | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** A language tag to show, `off`, or null (no wish: captions stay off). */
export function captionWish(urlValue: string | null, stored: string | null): string | null {
  const pick = (v: string | null) => (v && /^[A-Za-z0-9-]{1,35}$/.test(v.trim()) ? v.trim() : null)
  return pick(urlValue) ?? pick(stored)
}

export function loadCaptionChoice(store: Store | null = defaultStore()): string | null {
  try {
    return store?.getItem(CAPTIONS_KEY) ?? null
  } catch {
    return null
  }
}

export function saveCaptionChoice(language: string, store: Store | null = defaultStore()): void {
  try {
    store?.setItem(CAPTIONS_KEY, language)
  } catch {
    // private mode or full storage: the choice lasts this page only
  }
}

const primary = (tag: string) => tag.toLowerCase().split('-')[0]

/** The caption or subtitle track for a wished language: the same tag, else the same primary language. */
export function matchCaptionTrack<T extends { language: string; kind: string }>(tracks: readonly T[], wish: string | null): T | undefined {
  if (!wish || wish === CAPTIONS_OFF) return undefined
  const text = tracks.filter((t) => t.kind === 'subtitles' || t.kind === 'captions')
  return text.find((t) => t.language.toLowerCase() === wish.toLowerCase()) ?? text.find((t) => primary(t.language) === primary(wish))
}
