import { CAPTIONS_OFF, captionWish, loadCaptionChoice, matchCaptionTrack, saveCaptionChoice } from '@/lib/player/caption-choice'
import type { VideoView } from '@/lib/videos/view'
import type { Player } from './videojs-player'

// Captions and chapters on video.js text tracks; the menus are video.js's own (captions button,
// chapters button). On the adaptive stream VHS makes the caption tracks from the manifest's
// SUBTITLES group; playing the original, we add them from the video JSON (video.js drops such
// tracks itself when the source changes). The chapters track stays for the player's life.

type Captions = VideoView['playback']['captions']

interface TrackLike {
  kind: string
  language: string
  label: string
  mode: string
}

interface TrackListLike {
  length: number
  [index: number]: TrackLike
  addEventListener(type: string, fn: () => void): void
  removeEventListener(type: string, fn: () => void): void
}

/** The video's caption files as tracks of the current source (playing the original). */
export function addCaptionTracks(p: Player, captions: Captions): void {
  for (const c of captions) p.addRemoteTextTrack({ kind: c.kind, srclang: c.language, label: c.label, src: c.src }, false)
}

/** The chapters track (video.js then offers its chapters menu). */
export function addChaptersTrack(p: Player, src: string): void {
  p.addRemoteTextTrack({ kind: 'chapters', srclang: 'und', label: 'Chapters', src, default: true }, true)
}

/**
 * Shows the wished caption track whenever the track list is (re)built, and remembers what the
 * viewer picks in the menu afterwards. Returns the function that unbinds.
 */
export function bindCaptionChoice(p: Player, urlValue: string | null): () => void {
  const list = p.textTracks() as unknown as TrackListLike
  let wish = captionWish(urlValue, loadCaptionChoice())
  // The language we made show: a change to anything else is the viewer's (video.js may report our
  // own changes later, and tracks come and go with the source).
  let shown: string | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  const entries = () => Array.from({ length: list.length }, (_, i) => list[i]).filter((t) => t.kind === 'subtitles' || t.kind === 'captions')

  let pending = false
  const apply = () => {
    pending = false
    const match = matchCaptionTrack(entries(), wish)
    shown = match?.language ?? null
    for (const t of entries()) {
      const mode = t === match ? 'showing' : 'disabled'
      if (t.mode !== mode) t.mode = mode
    }
  }
  // A list arrives a track at a time: apply once it is complete.
  const rebuilt = () => {
    pending = true
    clearTimeout(timer)
    timer = setTimeout(apply, 0)
  }
  const changed = () => {
    const now = entries().find((t) => t.mode === 'showing')?.language ?? null
    if (pending || now === shown) return
    shown = now
    wish = now ?? CAPTIONS_OFF
    saveCaptionChoice(wish)
  }
  list.addEventListener('addtrack', rebuilt)
  list.addEventListener('removetrack', rebuilt)
  list.addEventListener('change', changed)
  if (list.length) rebuilt()
  return () => {
    clearTimeout(timer)
    list.removeEventListener('addtrack', rebuilt)
    list.removeEventListener('removetrack', rebuilt)
    list.removeEventListener('change', changed)
  }
}
