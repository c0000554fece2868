// A video's own manifests, derived from its content's: every line or element of the content's
// master playlist / MPD is kept (video variants, audio groups, whatever the encoder wrote) with
// its URIs pointed at the content's files, and the video's text tracks are added. Pure functions.

export interface TextTrackRef {
  language: string
  label: string
  kind: 'subtitles' | 'captions'
  /** HLS: the track's one-segment media playlist. */
  playlistUrl: string
  /** DASH (and the HLS playlist's segment): the WebVTT file. */
  vttUrl: string
}

export const SUBTITLE_GROUP = 'subs'

const ABSOLUTE_URI = /^([a-z][a-z0-9+.-]*:|\/)/i

/** A URI of the content's manifest, resolved against the content's base (absolute ones kept). */
export const resolveContentUri = (uri: string, contentBase: string): string => (ABSOLUTE_URI.test(uri) ? uri : `${contentBase}/${uri}`)

// A quoted-string attribute may hold neither `"` nor line breaks (RFC 8216 §4.2).
const quoted = (s: string) => `"${s.replace(/["\r\n]/g, "'")}"`

/** Distinct NAMEs within the group (RFC 8216 §4.3.4.1.1): a repeated label gets " (2)", " (3)"… */
function uniqueLabels(tracks: TextTrackRef[]): string[] {
  const seen = new Map<string, number>()
  return tracks.map((t) => {
    const n = (seen.get(t.label) ?? 0) + 1
    seen.set(t.label, n)
    return n === 1 ? t.label : `${t.label} (${n})`
  })
}

const CAPTION_CHARACTERISTICS = 'public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound'

function subtitleMediaLines(tracks: TextTrackRef[]): string[] {
  const names = uniqueLabels(tracks)
  return tracks.map((t, i) => {
    const attrs = [
      'TYPE=SUBTITLES',
      `GROUP-ID=${quoted(SUBTITLE_GROUP)}`,
      `LANGUAGE=${quoted(t.language)}`,
      `NAME=${quoted(names[i])}`,
      'DEFAULT=NO',
      'AUTOSELECT=YES',
      'FORCED=NO',
      ...(t.kind === 'captions' ? [`CHARACTERISTICS=${quoted(CAPTION_CHARACTERISTICS)}`] : []),
      `URI=${quoted(t.playlistUrl)}`,
    ]
    return `#EXT-X-MEDIA:${attrs.join(',')}`
  })
}

/** The content's HLS master playlist with absolute URIs, a SUBTITLES group of the tracks, and every variant naming it. */
export function videoHlsMaster(contentMaster: string, contentBase: string, tracks: TextTrackRef[]): string {
  const lines = contentMaster.split(/\r\n|\r|\n/)
  const out: string[] = []
  const subs = tracks.length ? subtitleMediaLines(tracks) : []
  let subsWritten = subs.length === 0
  const lastMedia = lines.reduce((at, l, i) => (l.startsWith('#EXT-X-MEDIA:') ? i : at), -1)
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (!subsWritten && (line.startsWith('#EXT-X-STREAM-INF:') || line.startsWith('#EXT-X-I-FRAME-STREAM-INF:')) && lastMedia < i) {
      out.push(...subs)
      subsWritten = true
    }
    if (line === '') out.push(line)
    else if (line.startsWith('#')) {
      let tag = line.replace(/URI="([^"]*)"/, (_, uri: string) => `URI="${resolveContentUri(uri, contentBase)}"`)
      if (tracks.length && tag.startsWith('#EXT-X-STREAM-INF:')) tag = `${tag.replace(/,SUBTITLES="[^"]*"/, '')},SUBTITLES=${quoted(SUBTITLE_GROUP)}`
      out.push(tag)
    } else out.push(resolveContentUri(line, contentBase))
    if (!subsWritten && i === lastMedia) {
      out.push(...subs)
      subsWritten = true
    }
  })
  if (!subsWritten) {
    while (out.length && out[out.length - 1] === '') out.pop()
    out.push(...subs, '')
  }
  return out.join('\n')
}

/** A one-segment media playlist holding a whole WebVTT file, as HLS wants subtitles. */
export function subtitleMediaPlaylist(vttUrl: string, durationMs: number): string {
  const seconds = Math.max(durationMs, 1) / 1000
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.ceil(seconds)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${seconds.toFixed(3)},`,
    vttUrl,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n')
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function textAdaptationSets(tracks: TextTrackRef[], firstId: number): string {
  return tracks
    .map((t, i) => {
      const role = t.kind === 'captions' ? 'caption' : 'subtitle'
      return [
        `\t\t<AdaptationSet id="${firstId + i}" contentType="text" mimeType="text/vtt" lang="${xml(t.language)}">`,
        `\t\t\t<Role schemeIdUri="urn:mpeg:dash:role:2011" value="${role}" />`,
        `\t\t\t<Label>${xml(t.label)}</Label>`,
        `\t\t\t<Representation id="text-${firstId + i}" bandwidth="256">`,
        `\t\t\t\t<BaseURL>${xml(t.vttUrl)}</BaseURL>`,
        '\t\t\t</Representation>',
        '\t\t</AdaptationSet>',
      ].join('\n')
    })
    .join('\n')
}

/** Where the MPD's children start: after ProgramInformation (which must come first), else after the MPD tag. */
function bodyStart(mpd: string): number {
  const info = mpd.indexOf('</ProgramInformation>')
  if (info !== -1) return info + '</ProgramInformation>'.length
  const open = /<MPD\b[^>]*>/.exec(mpd)
  return open ? open.index + open[0].length : -1
}

/**
 * The content's MPD with a BaseURL at the content (so its relative segment templates still
 * resolve) and one text AdaptationSet per track in the last Period.
 */
export function videoDashManifest(contentMpd: string, contentBase: string, tracks: TextTrackRef[]): string {
  // A childless <MPD …/> gets a body to put the BaseURL in.
  let mpd = contentMpd.replace(/<MPD\b([^>]*?)\s*\/>/, '<MPD$1>\n</MPD>')
  const at = bodyStart(mpd)
  if (at !== -1) mpd = `${mpd.slice(0, at)}\n\t<BaseURL>${xml(`${contentBase}/`)}</BaseURL>${mpd.slice(at)}`
  const periodEnd = mpd.lastIndexOf('</Period>')
  if (!tracks.length || periodEnd === -1) return mpd
  const ids = [...mpd.matchAll(/<AdaptationSet\b[^>]*\bid="(\d+)"/g)].map((m) => Number(m[1]))
  const firstId = ids.length ? Math.max(...ids) + 1 : 0
  return `${mpd.slice(0, periodEnd)}${textAdaptationSets(tracks, firstId)}\n\t${mpd.slice(periodEnd)}`
}
