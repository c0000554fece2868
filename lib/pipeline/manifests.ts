// Small readers for the manifests FFmpeg's DASH muxer writes (the master's audio group is ours, see
// audio-groups.ts). Not general DASH/HLS parsers: they understand SegmentTemplate + SegmentTimeline and
// plain media playlists, which is all we produce.

export interface HlsMediaPlaylist {
  map: string | null
  segments: { uri: string; durationS: number }[]
  targetDuration: number
  ended: boolean
}

export function parseHlsMediaPlaylist(text: string): HlsMediaPlaylist {
  const out: HlsMediaPlaylist = { map: null, segments: [], targetDuration: 0, ended: false }
  let pending: number | null = null
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    if (line.startsWith('#EXT-X-MAP:')) out.map = line.match(/URI="([^"]+)"/)?.[1] ?? null
    else if (line.startsWith('#EXT-X-TARGETDURATION:')) out.targetDuration = Number(line.split(':')[1])
    else if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8))
    else if (line === '#EXT-X-ENDLIST') out.ended = true
    else if (!line.startsWith('#') && pending !== null) {
      out.segments.push({ uri: line, durationS: pending })
      pending = null
    }
  }
  return out
}

export interface HlsVariant {
  uri: string
  bandwidth: number
  resolution: string | null
  codecs: string | null
  /** GROUP-ID of the audio renditions the variant plays with. */
  audio: string | null
}

export interface HlsMedia {
  type: string
  uri: string
  groupId: string
  language: string | null
  name: string
  default: boolean
}

export interface HlsMaster {
  variants: HlsVariant[]
  media: HlsMedia[]
}

function attrList(s: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of s.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) out[m[1]] = m[2].replace(/^"|"$/g, '')
  return out
}

export function parseHlsMaster(text: string): HlsMaster {
  const out: HlsMaster = { variants: [], media: [] }
  const lines = text.split('\n').map((l) => l.trim())
  lines.forEach((line, i) => {
    if (line.startsWith('#EXT-X-MEDIA:')) {
      const a = attrList(line.slice(13))
      if (a.URI)
        out.media.push({
          type: a.TYPE ?? '',
          uri: a.URI,
          groupId: a['GROUP-ID'] ?? '',
          language: a.LANGUAGE ?? null,
          name: a.NAME ?? '',
          default: a.DEFAULT === 'YES',
        })
    } else if (line.startsWith('#EXT-X-STREAM-INF:')) {
      const a = attrList(line.slice(18))
      const uri = lines.slice(i + 1).find((l) => l && !l.startsWith('#'))
      if (uri)
        out.variants.push({ uri, bandwidth: Number(a.BANDWIDTH ?? 0), resolution: a.RESOLUTION ?? null, codecs: a.CODECS ?? null, audio: a.AUDIO ?? null })
    }
  })
  return out
}

export interface MpdRepresentation {
  id: string
  contentType: 'video' | 'audio' | 'other'
  /** The AdaptationSet's `lang`, when it has one. */
  lang: string | null
  codecs: string
  bandwidth: number
  width: number
  height: number
  init: string
  segments: { uri: string; durationS: number }[]
}

export interface Mpd {
  type: 'static' | 'dynamic'
  durationS: number
  representations: MpdRepresentation[]
}

function xmlAttrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of tag.matchAll(/([A-Za-z:]+)="([^"]*)"/g)) out[m[1]] = m[2]
  return out
}

/** ISO 8601 duration as the muxer writes it: PT1H2M3.4S. */
export function isoDurationS(v: string | undefined): number {
  const m = v?.match(/^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/)
  if (!m) return 0
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)
}

function fillTemplate(tpl: string, id: string, bandwidth: number, num?: number): string {
  return tpl
    .replaceAll('$RepresentationID$', id)
    .replaceAll('$Bandwidth$', String(bandwidth))
    .replace(/\$Number(?:%0(\d+)d)?\$/g, (_, w: string | undefined) => (num === undefined ? '' : String(num).padStart(Number(w ?? 0), '0')))
}

export function parseMpd(text: string): Mpd {
  const mpdTag = text.match(/<MPD\b[^>]*>/)?.[0] ?? ''
  const mpd = xmlAttrs(mpdTag)
  const out: Mpd = { type: mpd.type === 'dynamic' ? 'dynamic' : 'static', durationS: isoDurationS(mpd.mediaPresentationDuration), representations: [] }
  for (const set of text.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)) {
    const setAttrs = xmlAttrs(set[1])
    for (const rep of set[2].matchAll(/<Representation\b([^>]*)>([\s\S]*?)<\/Representation>/g)) {
      const r = xmlAttrs(rep[1])
      const ct = setAttrs.contentType ?? r.mimeType?.split('/')[0]
      const tplTag = rep[2].match(/<SegmentTemplate\b[^>]*>/)?.[0] ?? ''
      const tpl = xmlAttrs(tplTag)
      const timescale = Number(tpl.timescale ?? 1)
      const bandwidth = Number(r.bandwidth ?? 0)
      const segments: MpdRepresentation['segments'] = []
      let n = Number(tpl.startNumber ?? 1)
      for (const s of rep[2].matchAll(/<S\b([^>]*)\/>/g)) {
        const a = xmlAttrs(s[1])
        const repeat = Number(a.r ?? 0)
        for (let k = 0; k <= repeat; k++) segments.push({ uri: fillTemplate(tpl.media ?? '', r.id, bandwidth, n++), durationS: Number(a.d) / timescale })
      }
      out.representations.push({
        id: r.id,
        contentType: ct === 'video' || ct === 'audio' ? ct : 'other',
        lang: setAttrs.lang ?? null,
        codecs: r.codecs ?? '',
        bandwidth,
        width: Number(r.width ?? 0),
        height: Number(r.height ?? 0),
        init: fillTemplate(tpl.initialization ?? '', r.id, bandwidth),
        segments,
      })
    }
  }
  return out
}
