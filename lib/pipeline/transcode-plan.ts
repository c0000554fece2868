import type { StreamingConfig } from '@/lib/config/streaming'
import { mediaPlaylist, streamDir } from '@/lib/content/layout'
import { representationIds } from './ffmpeg-args'
import { type LadderPlan, planLadder } from './ladder'
import type { ProbeFacts } from './probe'
import { expectedSegmentCount } from './segments'

/** One output of the ladder as planned before encoding (paths relative to outDir / partialDir). */
export interface PlannedRendition {
  /** DASH representation id; names the folder and the HLS playlist. */
  id: number
  name: string
  kind: 'video' | 'audio'
  width: number
  height: number
  /** Bits per second (cap for video, target for audio). */
  bitrate: number
  dir: string
  playlist: string
  expectedSegments: number
  /** Audio renditions: the language, label and default the manifests carry. */
  audio?: { language: string; label: string; isDefault: boolean }
}

export interface TranscodePlan {
  ladder: LadderPlan
  renditions: PlannedRendition[]
  /** Estimate: expected segments × renditions. Exact once the encode is done. */
  segmentsTotal: number
  /** Upper bound of the encoded size (every rung at its cap), for a disk-space check before starting. */
  estimatedBytes: number
}

/** Pure: what runTranscode will produce, so the caller can create rows and totals before it starts. */
export function planTranscode(probe: ProbeFacts, config: StreamingConfig, opts: { fallback?: boolean } = {}): TranscodePlan {
  const ladder = planLadder(probe, config, opts)
  const ids = representationIds(ladder)
  const expected = expectedSegmentCount(probe.durationMs, config)
  const renditions: PlannedRendition[] = ladder.rungs.map((r, i) => ({
    id: ids.video[i],
    name: r.name,
    kind: 'video',
    width: r.width,
    height: r.height,
    bitrate: r.bitrate * 1000,
    dir: streamDir(ids.video[i]),
    playlist: mediaPlaylist(ids.video[i]),
    expectedSegments: expected,
  }))
  ladder.audioTracks.forEach((t, i) => {
    const id = ids.audio[i]
    renditions.push({
      id,
      name: t.name,
      kind: 'audio',
      width: 0,
      height: 0,
      bitrate: config.audio.bitrate * 1000,
      dir: streamDir(id),
      playlist: mediaPlaylist(id),
      expectedSegments: expected,
      audio: { language: t.language, label: t.label, isDefault: t.isDefault },
    })
  })
  // Caps are maxima; 5 % covers container overhead (fMP4 boxes, init segments, playlists).
  const estimatedBytes = Math.ceil((renditions.reduce((a, r) => a + r.bitrate, 0) / 8) * (probe.durationMs / 1000) * 1.05)
  return { ladder, renditions, segmentsTotal: expected * renditions.length, estimatedBytes }
}
