// The streaming management layer's choice of source when a player starts:
// ABR (HLS through VHS, DASH as the alternative) once the content is packaged; before that the
// original by direct URL, or in chunks through MediaSource when it is a large fragmented MP4
// ("withFragments && isLargeVideo"); a progress state when the browser cannot play the original;
// the reason when processing failed. Pure, so every branch is unit tested.

export type VideoStatus = 'processing' | 'ready' | 'failed'

export interface PlaybackUrls {
  direct: string
  hls: string | null
  dash: string | null
  poster: string | null
  storyboard: string | null
  /** The growing playlists in `hls` are being written (processing, first segments exist). */
  live?: boolean
  /** From the probe: whether browsers play the original by URL; null/absent until probed. */
  directPlayable?: boolean | null
  /** The original's type with RFC 6381 codecs, for this browser's own check. */
  mimeCodecs?: string | null
}

export interface PlayableView {
  status: VideoStatus
  error?: string
  sizeBytes?: number | null
  playback: PlaybackUrls
}

/** Originals at least this large are streamed in chunks when they are fragmented MP4 (the seed's 20 MB). */
export const LARGE_VIDEO_BYTES = 20 * 1024 * 1024

export const HLS_TYPE = 'application/x-mpegURL'
export const DASH_TYPE = 'application/dash+xml'

export type SourcePlan =
  | { kind: 'abr'; src: string; type: typeof HLS_TYPE | typeof DASH_TYPE }
  /** The original cannot play here: the growing event playlists, from the beginning. */
  | { kind: 'growing'; src: string; type: typeof HLS_TYPE }
  /** The original cannot play here and no segment exists yet: a progress state. */
  | { kind: 'waiting'; reason: string }
  /** `growingHls`: the playlists being written while packaging, for browsers that cannot play the original. */
  | { kind: 'original'; src: string; tryChunks: boolean; growingHls: string | null }
  | { kind: 'failed'; reason: string }

export interface PlanOptions {
  /** Prefer DASH over HLS (both are packaged from the same CMAF segments). */
  preferDash?: boolean
  /** Play the original even when ABR is ready (debugging, comparisons). */
  preferOriginal?: boolean
  /** Whether MediaSource exists in this browser. */
  mediaSource: boolean
  largeVideoBytes?: number
  /** What `originalVerdict` said for this browser ('unknown' when the video is not probed yet). */
  original?: OriginalVerdict
}

export type OriginalVerdict = 'playable' | 'unplayable' | 'unknown'

/** What the player can ask its browser about a type. */
export interface TypeSupport {
  canPlayType(type: string): string
  /** `MediaSource.isTypeSupported`, where MediaSource exists. */
  isTypeSupported?: (type: string) => boolean
}

/**
 * Whether this browser plays the original by URL: never when the probe says browsers do not (HEVC,
 * Matroska, MPEG-2…), else whatever the browser answers for the probed codec string; 'unknown'
 * before the probe (the caller falls back to the served type).
 */
export function originalVerdict(playback: PlaybackUrls, browser: TypeSupport): OriginalVerdict {
  if (playback.directPlayable === false) return 'unplayable'
  if (!playback.mimeCodecs) return 'unknown'
  const supported = browser.canPlayType(playback.mimeCodecs) !== '' || (browser.isTypeSupported?.(playback.mimeCodecs) ?? false)
  return supported ? 'playable' : 'unplayable'
}

export const UNPLAYABLE_REASON = 'This browser cannot play the original; it plays as soon as the first parts are prepared.'

export function planSource(view: PlayableView, opts: PlanOptions): SourcePlan {
  if (view.status === 'failed') return { kind: 'failed', reason: view.error || 'Processing failed.' }
  const { hls, dash, direct } = view.playback
  if (view.status === 'ready' && (!opts.preferOriginal || opts.original === 'unplayable')) {
    const first = opts.preferDash ? dash : hls
    if (first) return { kind: 'abr', src: first, type: opts.preferDash ? DASH_TYPE : HLS_TYPE }
    if (dash) return { kind: 'abr', src: dash, type: DASH_TYPE }
  }
  if (opts.original === 'unplayable') {
    const { live, hls: growing } = view.playback
    if (view.status === 'processing' && live && growing) return { kind: 'growing', src: growing, type: HLS_TYPE }
    return { kind: 'waiting', reason: UNPLAYABLE_REASON }
  }
  const large = (view.sizeBytes ?? 0) >= (opts.largeVideoBytes ?? LARGE_VIDEO_BYTES)
  return { kind: 'original', src: direct, tryChunks: large && opts.mediaSource, growingHls: view.status === 'processing' ? hls : null }
}

/** MIME types whose containers MediaSource-chunked streaming understands (ISO BMFF). */
export const isMp4Family = (mime: string | null | undefined): boolean => !!mime && /^(video|audio)\/(mp4|quicktime|x-m4v)$/i.test(mime.split(';')[0].trim())

/**
 * Whether the browser can play the original by direct URL. `canPlayType` answers '', 'maybe' or
 * 'probably'; unknown types (application/octet-stream) get one try as MP4, the most common upload.
 */
export function canPlayOriginal(mime: string | null | undefined, canPlayType: (type: string) => string): boolean {
  const type = (mime ?? '').split(';')[0].trim().toLowerCase()
  if (!type || type === 'application/octet-stream') return canPlayType('video/mp4') !== ''
  if (type === 'video/quicktime') return canPlayType(type) !== '' || canPlayType('video/mp4') !== ''
  return canPlayType(type) !== ''
}
