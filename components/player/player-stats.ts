import { expose, playerLog } from '@/lib/player/debug'
import type { PlaybackController } from '@/lib/player/PlaybackController'
import { bufferedAhead, toRanges } from '@/lib/player/stream-plan'
import type { VideoView } from '@/lib/videos/view'
import { mediaElement, type Player, qualityLevels } from './videojs-player'

const log = playerLog('Video')

/** Window-level timings the gallery records for click -> first frame. */
interface Timings {
  openedAt?: number
}

/**
 * Click-to-first-frame timings and the player's live figures, exposed for diagnostics and the
 * browser tests. `mark` records a named moment once (the timeline is in ms after the click);
 * `expose` publishes the figures once the controller exists and returns the function that withdraws them.
 */
export function trackPlayer(p: Player, video: Pick<VideoView, 'id' | 'status'>) {
  const marks: Record<string, number> = { mounted: performance.now() }
  const mark = (name: string) => {
    marks[name] ??= performance.now()
  }
  p.one('loadedmetadata', () => mark('loadedmetadata'))
  return { mark, expose: (controller: PlaybackController) => exposeFigures(p, controller, video, marks) }
}

function exposeFigures(p: Player, controller: PlaybackController, video: Pick<VideoView, 'id' | 'status'>, marks: Record<string, number>): () => void {
  const timings = ((window as unknown as { __reelhouse?: Timings }).__reelhouse ?? {}) as Timings
  const mountedAt = performance.now()
  const openedAt = timings.openedAt && mountedAt - timings.openedAt < 10_000 ? timings.openedAt : mountedAt
  let firstFrameAt: number | null = null
  const v = mediaElement(p)
  const markFirstFrame = () => {
    if (firstFrameAt !== null) return
    firstFrameAt = performance.now()
    marks.firstFrame = firstFrameAt
    log.debug(`first frame after ${Math.round(firstFrameAt - openedAt)} ms (${controller.currentSource})`)
  }
  if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback(markFirstFrame)
  else p.one('playing', markFirstFrame)

  return expose('player', {
    player: p,
    controller,
    get stats() {
      const el = mediaElement(p)
      const ql = qualityLevels(p)
      return {
        videoId: video.id,
        status: video.status,
        ...controller.getStats(),
        currentTime: p.currentTime() ?? 0,
        duration: p.duration() ?? 0,
        paused: p.paused(),
        videoWidth: el.videoWidth,
        videoHeight: el.videoHeight,
        bufferedAhead: bufferedAhead(toRanges(el.buffered), el.currentTime),
        qualityLevels: ql ? Array.from({ length: ql.length }, (_, i) => ({ height: ql[i].height, bitrate: ql[i].bitrate, enabled: ql[i].enabled })) : [],
        selectedQuality: ql && ql.selectedIndex >= 0 ? (ql[ql.selectedIndex]?.height ?? null) : null,
        openedAt,
        firstFrameAt,
        firstFrameMs: firstFrameAt === null ? null : Math.round(firstFrameAt - openedAt),
        /** ms after the click: player mounted, source set, metadata loaded, first frame. */
        timeline: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v - openedAt)])),
      }
    },
  })
}
