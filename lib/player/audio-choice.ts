// Which audio language a player starts with: a track the source marks as default wins (when it marks
// several, as Matroska often does, or none, the viewer's browser languages decide among them), then
// the first. Pure, for the browser and its tests.

export interface AudioTrackChoice {
  language: string
  label: string
  default: boolean
}

const primary = (tag: string) => tag.toLowerCase().split('-')[0]

/** Index into `tracks` to start with; -1 when there is none. */
export function preferredAudioTrack(tracks: readonly AudioTrackChoice[], browserLanguages: readonly string[]): number {
  if (tracks.length === 0) return -1
  const flagged = tracks.map((t, i) => ({ t, i })).filter(({ t }) => t.default)
  const candidates = flagged.length ? flagged : tracks.map((t, i) => ({ t, i }))
  for (const wanted of browserLanguages) {
    const exact = candidates.find(({ t }) => t.language.toLowerCase() === wanted.toLowerCase())
    const same = exact ?? candidates.find(({ t }) => t.language !== 'und' && primary(t.language) === primary(wanted))
    if (same) return same.i
  }
  return candidates[0].i
}

/** The entry of a player's track list that stands for `track`: same label (the HLS NAME), else same language. */
export function matchingTrack<T extends { label: string; language: string }>(
  list: readonly T[],
  track: Pick<AudioTrackChoice, 'label' | 'language'>,
): T | undefined {
  return list.find((t) => t.label === track.label) ?? list.find((t) => t.language === track.language)
}
