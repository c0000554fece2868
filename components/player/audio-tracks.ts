import { type AudioTrackChoice, matchingTrack, preferredAudioTrack } from '@/lib/player/audio-choice'
import type { Player } from './videojs-player'

// The audio language the player starts with (lib/player/audio-choice.ts) applied to video.js's audio
// track list, which VHS fills from the HLS audio group or the DASH audio sets; the menu itself is
// video.js's own audio track button. A choice the viewer makes is kept when the source changes
// (growing playlists → finished stream, original → ABR), since VHS then builds its tracks anew.

interface TrackLike {
  label: string
  language: string
  enabled: boolean
}

interface TrackListLike {
  length: number
  [index: number]: TrackLike
  addEventListener(type: string, fn: () => void): void
  removeEventListener(type: string, fn: () => void): void
}

/** Starts on the preferred track each time the list is (re)built; returns the function that unbinds. */
export function bindAudioChoice(p: Player, tracks: readonly AudioTrackChoice[], browserLanguages: readonly string[]): () => void {
  const start = preferredAudioTrack(tracks, browserLanguages)
  if (start < 0) return () => {}
  const list = p.audioTracks() as unknown as TrackListLike
  let wanted: Pick<AudioTrackChoice, 'label' | 'language'> = tracks[start]
  // Changes count as the viewer's only once our choice is applied: VHS enables its own default
  // while it sets a new list up.
  let settled = false
  let applying = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const entries = () => Array.from({ length: list.length }, (_, i) => list[i])

  const apply = () => {
    const match = matchingTrack(entries(), wanted)
    if (!match) return
    if (!match.enabled) {
      applying = true
      match.enabled = true
      applying = false
    }
    settled = true
  }
  // VHS adds a whole list in one go, then enables its default: apply after it is done.
  const rebuilt = () => {
    settled = false
    clearTimeout(timer)
    timer = setTimeout(apply, 0)
  }
  const changed = () => {
    if (!settled || applying) return
    const on = entries().find((t) => t.enabled)
    if (on) wanted = { label: on.label, language: on.language }
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
