// The audio languages of a content: which source audio streams become renditions, and the language,
// label and default flag each one carries in the manifests (written by the pipeline) and in a video's
// JSON (read by the web side and the player). Pure and free of Node imports: both sides use it, so the
// HLS NAME of a rendition and the label in the JSON are always the same string.

import { plainText } from '@/lib/validation/text'

/** What the probe records about one source audio stream (Content.probe.audioStreams). */
export interface AudioStreamFacts {
  /** BCP 47 tag ('en', 'fr', 'pt-BR'), `und` when the source does not say. */
  language: string
  /** The stream's own title tag, when it has a usable one. */
  title?: string
  /** The source marks this stream as a default one (Matroska may mark several, MP4 usually the first). */
  default: boolean
}

export interface AudioTrack {
  language: string
  /** Unique among the content's tracks: the title, else the language's own name, else "Audio N". */
  label: string
  /** From the source's default disposition (none, one or several may be set). */
  default: boolean
}

const UNDETERMINED = 'und'
const titleText = plainText({ max: 64, min: 1 })

/**
 * ISO 639-2 codes as containers store them ('eng', 'fre', 'ger') become BCP 47 ('en', 'fr', 'de'), the
 * form HLS LANGUAGE and DASH lang require; unusable values become `und`.
 */
export function normaliseLanguage(tag: string | undefined | null): string {
  if (!tag) return UNDETERMINED
  try {
    return Intl.getCanonicalLocales(tag.trim())[0] ?? UNDETERMINED
  } catch {
    return UNDETERMINED
  }
}

/** A source title fit for a menu and a quoted HLS attribute (no double quotes, no controls), or undefined. */
export function usableTitle(title: string | undefined | null): string | undefined {
  if (!title) return undefined
  const parsed = titleText.safeParse(title.replaceAll('"', "'"))
  return parsed.success ? parsed.data : undefined
}

/** The language's name in that language, capitalised ('English', 'Français'); undefined when unknown. */
function nativeName(language: string): string | undefined {
  if (language === UNDETERMINED) return undefined
  try {
    const name = new Intl.DisplayNames([language], { type: 'language', fallback: 'none' }).of(language)
    return name ? name.charAt(0).toLocaleUpperCase(language) + name.slice(1) : undefined
  } catch {
    return undefined
  }
}

/** Pure: the tracks the first `limit` source audio streams become, in source order. */
export function audioTracksOf(streams: readonly AudioStreamFacts[], limit: number): AudioTrack[] {
  const chosen = streams.slice(0, Math.max(0, limit))
  const used = new Set<string>()
  return chosen.map((s, i) => {
    const base = usableTitle(s.title) ?? nativeName(s.language) ?? (chosen.length > 1 ? `Audio ${i + 1}` : 'Audio')
    let label = base
    for (let n = 2; used.has(label); n++) label = `${base} ${n}`
    used.add(label)
    return { language: s.language, label, default: s.default }
  })
}

/** The one track a manifest marks DEFAULT=YES: the first the source marks default, else the first. */
export function manifestDefaultIndex(tracks: readonly Pick<AudioTrack, 'default'>[]): number {
  return Math.max(
    0,
    tracks.findIndex((t) => t.default),
  )
}

/**
 * The audio streams stored on a Content.probe. Content probed before several languages were kept has
 * only `hasAudio`: one undetermined default track.
 */
export function audioStreamsOfProbe(probe: unknown): AudioStreamFacts[] {
  if (!probe || typeof probe !== 'object') return []
  const p = probe as { audioStreams?: unknown; hasAudio?: unknown }
  if (Array.isArray(p.audioStreams))
    return p.audioStreams.filter((s): s is AudioStreamFacts => !!s && typeof s === 'object' && typeof s.language === 'string' && typeof s.default === 'boolean')
  return p.hasAudio === true ? [{ language: UNDETERMINED, default: true }] : []
}
