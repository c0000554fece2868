// Subtitle streams the worker found in an upload, kept on the content (its facts, like the probe)
// and copied as captions onto every video of that content, including videos added later with the
// same bytes. No server imports: the worker's pipeline produces these, the web side reads them.

export interface EmbeddedTextTrack {
  /** Ordinal of the stream among the file's subtitle streams (FFmpeg's `0:s:N`). */
  stream: number
  language: string
  label: string
  /** Sanitized WebVTT. */
  vtt: string
}

/** The Caption rows a video gets from its content's embedded tracks (unique per video and stream). */
export function captionRowsFor(videoId: string, tracks: readonly EmbeddedTextTrack[]) {
  return tracks.map((t) => ({ videoId, language: t.language, label: t.label, kind: 'SUBTITLES' as const, vtt: t.vtt, sourceStream: t.stream }))
}

/** The stored JSON back as tracks; anything unexpected is ignored rather than served. */
export function embeddedTracksOf(json: unknown): EmbeddedTextTrack[] {
  if (!Array.isArray(json)) return []
  return json.filter(
    (t): t is EmbeddedTextTrack =>
      !!t && typeof t === 'object' && Number.isInteger(t.stream) && typeof t.language === 'string' && typeof t.label === 'string' && typeof t.vtt === 'string',
  )
}
