// Whether an original plays by direct URL in the browsers we support (Chromium, Firefox, Safari),
// decided from what the probe found inside the file rather than from its name or served type, and
// the RFC 6381 codec string the player hands to MediaSource.isTypeSupported / canPlayType to check
// its own browser. Pure and free of Node imports: the server and the player both use it.

/** The probe facts the decision reads (a subset of the stored Content.probe). */
export interface PlayabilityFacts {
  videoCodec: string
  videoProfile?: string
  videoLevel?: number
  pixFmt: string
  width: number
  height: number
  hasAudio: boolean
  audioCodec: string | null
  audioProfile?: string
}

export interface Playability {
  directlyPlayable: boolean
  /** e.g. `video/mp4; codecs="avc1.64001f, mp4a.40.2"`; also given for unplayable files (browsers may know better). */
  mimeCodecs: string
}

const hex2 = (n: number) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0')
const dec2 = (n: number) => String(n).padStart(2, '0')
const bitDepth = (pixFmt: string) => (/p10|p12/.test(pixFmt) ? (/p12/.test(pixFmt) ? 12 : 10) : 8)
const is420 = (pixFmt: string) => /^(yuvj?420|nv12|p010)/.test(pixFmt)

// H.264 profile_idc and constraint flags by ffprobe's profile name.
const AVC_PROFILES: Record<string, { idc: number; flags: number; web: boolean }> = {
  'Constrained Baseline': { idc: 66, flags: 0x40, web: true },
  Baseline: { idc: 66, flags: 0, web: true },
  Main: { idc: 77, flags: 0, web: true },
  Extended: { idc: 88, flags: 0, web: false },
  High: { idc: 100, flags: 0, web: true },
  'High 10': { idc: 110, flags: 0, web: false },
  'High 4:2:2': { idc: 122, flags: 0, web: false },
  'High 4:4:4 Predictive': { idc: 244, flags: 0, web: false },
}

function avc(f: PlayabilityFacts): { codec: string; web: boolean } {
  const p = AVC_PROFILES[f.videoProfile ?? ''] ?? { idc: 100, flags: 0, web: !f.videoProfile }
  // 4.0 when the stream does not say: high enough for 1080p30, accepted everywhere.
  const level = f.videoLevel && f.videoLevel > 0 ? f.videoLevel : 40
  return { codec: `avc1.${hex2(p.idc)}${hex2(p.flags)}${hex2(level)}`, web: p.web && bitDepth(f.pixFmt) === 8 && is420(f.pixFmt) }
}

function hevc(f: PlayabilityFacts): string {
  const main10 = f.videoProfile === 'Main 10' || bitDepth(f.pixFmt) === 10
  // general_profile_idc.compatibility flags (reversed hex).L<level_idc>.B0 (constraint byte), as Apple spells it.
  return `hvc1.${main10 ? '2.4' : '1.6'}.L${f.videoLevel && f.videoLevel > 0 ? f.videoLevel : 120}.B0`
}

/** Smallest level whose maximum picture size holds the frame (VP9 and AV1 do not carry one ffprobe reports). */
function levelFor(pixels: number, table: [number, number][]): number {
  return (table.find(([max]) => pixels <= max) ?? table[table.length - 1])[1]
}
const VP9_LEVELS: [number, number][] = [
  [36_864, 10],
  [73_728, 11],
  [122_880, 20],
  [245_760, 21],
  [552_960, 30],
  [983_040, 31],
  [2_228_224, 40],
  [8_912_896, 50],
  [35_651_584, 60],
]
const AV1_LEVELS: [number, number][] = [
  [147_456, 0],
  [278_784, 1],
  [665_856, 4],
  [1_065_024, 5],
  [2_359_296, 8],
  [8_912_896, 12],
  [35_651_584, 16],
]

function vp9(f: PlayabilityFacts): { codec: string; web: boolean } {
  const depth = bitDepth(f.pixFmt)
  const profile = Number(/\d/.exec(f.videoProfile ?? '')?.[0] ?? (is420(f.pixFmt) ? (depth > 8 ? 2 : 0) : 1))
  const level = levelFor(f.width * f.height, VP9_LEVELS)
  return { codec: `vp09.${dec2(profile)}.${dec2(level)}.${dec2(depth)}`, web: profile === 0 || profile === 2 }
}

function av1(f: PlayabilityFacts): { codec: string; web: boolean } {
  const depth = bitDepth(f.pixFmt)
  const main = is420(f.pixFmt) && depth <= 10
  const level = levelFor(f.width * f.height, AV1_LEVELS)
  return { codec: `av01.${main ? 0 : 1}.${dec2(level)}M.${dec2(depth)}`, web: main }
}

function aac(f: PlayabilityFacts): string {
  if (f.audioProfile === 'HE-AACv2') return 'mp4a.40.29'
  if (f.audioProfile === 'HE-AAC') return 'mp4a.40.5'
  return 'mp4a.40.2'
}

type Family = 'mp4' | 'webm' | 'other'

/** The container family of an original, from the type it is served with (sniffed from its bytes at upload). */
export function containerFamily(mime: string): Family {
  const type = mime.split(';')[0].trim().toLowerCase()
  if (type === 'video/mp4' || type === 'video/quicktime' || type === 'video/x-m4v') return 'mp4'
  if (type === 'video/webm') return 'webm'
  return 'other'
}

/** What browsers would make of this original: H.264/AAC in MP4 or MOV, VP9/AV1 with Opus/Vorbis in WebM play; the rest does not. */
export function playabilityOf(mime: string, f: PlayabilityFacts): Playability {
  const family = containerFamily(mime)
  let video: { codec: string; web: Family[] }
  switch (f.videoCodec) {
    case 'h264': {
      const a = avc(f)
      video = { codec: a.codec, web: a.web ? ['mp4'] : [] }
      break
    }
    case 'hevc':
      video = { codec: hevc(f), web: [] }
      break
    case 'vp9': {
      const v = vp9(f)
      video = { codec: v.codec, web: v.web ? ['webm'] : [] }
      break
    }
    case 'av1': {
      const v = av1(f)
      video = { codec: v.codec, web: v.web ? ['webm', 'mp4'] : [] }
      break
    }
    case 'vp8':
      video = { codec: 'vp8', web: ['webm'] }
      break
    default:
      video = { codec: f.videoCodec, web: [] }
  }
  const codecs = [video.codec]
  let audioOk = true
  if (f.hasAudio && f.audioCodec) {
    const audio: Record<string, { codec: string; web: Family[] }> = {
      aac: { codec: aac(f), web: ['mp4'] },
      mp3: { codec: 'mp4a.6B', web: ['mp4'] },
      opus: { codec: 'opus', web: ['webm'] },
      vorbis: { codec: 'vorbis', web: ['webm'] },
    }
    const a = audio[f.audioCodec] ?? { codec: f.audioCodec, web: [] }
    codecs.push(a.codec)
    audioOk = a.web.includes(family)
  }
  // MOV is offered as MP4: browsers that play H.264/AAC in MP4 play it in QuickTime files too.
  const container = family === 'webm' ? 'video/webm' : family === 'mp4' ? 'video/mp4' : mime.split(';')[0].trim().toLowerCase()
  return { directlyPlayable: family !== 'other' && video.web.includes(family) && audioOk, mimeCodecs: `${container}; codecs="${codecs.join(', ')}"` }
}
