'use client'

import 'video.js/dist/video-js.css'
import { useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import videojs from 'video.js'
import { expose, playerLog } from '@/lib/player/debug'
import { keyAction } from '@/lib/player/keyboard'
import { type ControllerState, type MediaPlayer, PlaybackController } from '@/lib/player/PlaybackController'
import type { QualityLevelListLike } from '@/lib/player/quality'
import { bindCommands } from '@/lib/player/realtime'
import { bufferedAhead, toRanges } from '@/lib/player/stream-plan'
import { VHS_OPTIONS } from '@/lib/player/vhs-options'
import { loadVolume, saveVolume } from '@/lib/player/volume'
import type { VideoView } from '@/lib/videos/view'
import { QualityMenu } from './QualityMenu'
import { StoryboardPreview } from './StoryboardPreview'
import { useVideoStatus } from './useVideoStatus'

type Player = ReturnType<typeof videojs>

export interface VideoPlayerProps {
  video: VideoView
  autoPlay?: boolean
  /** Seconds to start at (a remote command, or a switch between videos). */
  startAt?: number
  /** Signed in: use the /player socket for live progress and remote commands. */
  live?: boolean
  /** A remote command asked for another video. */
  onOpenVideo?: (id: string, at: number, playing: boolean) => void
}

const log = playerLog('Video')

/** Window-level timings the gallery records for click -> first frame. */
interface Timings {
  openedAt?: number
}

/**
 * The modal's player (video component layer): video.js 8 with VHS, created on mount and
 * disposed on unmount with everything it started (requests, MediaSource, socket binding).
 */
export default function VideoPlayer({ video, autoPlay = true, startAt, live = false, onOpenVideo }: VideoPlayerProps) {
  const hostRef = useRef<HTMLDivElement>(null)
  const [player, setPlayer] = useState<Player | null>(null)
  const [slots, setSlots] = useState<{ quality: HTMLElement; preview: HTMLElement } | null>(null)
  const [state, setState] = useState<ControllerState>({ kind: 'starting' })
  const controllerRef = useRef<PlaybackController | null>(null)
  const openRef = useRef(onOpenVideo)
  openRef.current = onOpenVideo
  const status = useVideoStatus(
    video.id,
    { status: video.status, progress: video.progress, contentHash: video.contentHash, sessionId: video.sessionId },
    { enabled: video.status === 'processing', live },
  )

  // biome-ignore lint/correctness/useExhaustiveDependencies: one player per video; the parent remounts on a new id
  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const el = document.createElement('video-js')
    el.className = 'vjs-reelhouse vjs-big-play-centered'
    el.setAttribute('playsinline', '')
    el.setAttribute('aria-label', `Video player: ${video.title}`)
    host.appendChild(el)
    const volume = loadVolume()
    const p = videojs(el, {
      controls: true,
      autoplay: false,
      preload: 'auto',
      fill: true,
      // Layout classes by player width: on phones the time displays, rate and volume slider give way to the progress bar.
      responsive: true,
      poster: video.playback.poster ?? undefined,
      playbackRates: [0.5, 1, 1.25, 1.5, 2],
      enableSmoothSeeking: true,
      html5: { vhs: VHS_OPTIONS, nativeAudioTracks: false, nativeVideoTracks: false },
      userActions: { hotkeys: false, doubleClick: true },
    })
    p.volume(volume.volume)
    p.muted(volume.muted)
    p.on('volumechange', () => saveVolume({ volume: p.volume() ?? 1, muted: !!p.muted() }))

    const controlBar = p.getChild('ControlBar')
    const quality = document.createElement('div')
    quality.className = 'vjs-control vjs-quality-slot'
    controlBar?.el().insertBefore(quality, controlBar.getChild('FullscreenToggle')?.el() ?? null)
    const preview = document.createElement('div')
    preview.className = 'vjs-storyboard-slot'
    controlBar?.getChild('ProgressControl')?.el().appendChild(preview)
    setSlots({ quality, preview })

    const media = () => p.tech(true).el() as HTMLVideoElement
    const marks: Record<string, number> = { mounted: performance.now() }
    p.one('loadedmetadata', () => {
      marks.loadedmetadata ??= performance.now()
    })
    const adapter: MediaPlayer = {
      setSource: (src, type) => {
        marks.source ??= performance.now()
        // video.js forgets a paused player has started when its source changes, which hides the
        // control bar and brings the poster back (e.g. the original ended, then ABR took over).
        if (p.hasStarted_) p.one('loadstart', () => p.hasStarted(true))
        p.src({ src, type })
      },
      currentTime: (s) => {
        if (s !== undefined) p.currentTime(s)
        return p.currentTime() ?? 0
      },
      paused: () => p.paused(),
      play: () => {
        // Autoplay can be refused (no user gesture on a cold deep link): the big play button stays.
        void Promise.resolve(p.play()).catch(() => undefined)
      },
      onceLoaded: (fn) => p.one('loadedmetadata', fn),
      oncePlaying: (fn) => p.one('playing', fn),
      mediaElement: media,
    }
    const controller = new PlaybackController(adapter, video, { onState: setState, startAt, autoPlay })
    controllerRef.current = controller

    const timings = ((window as unknown as { __reelhouse?: Timings }).__reelhouse ?? {}) as Timings
    const mountedAt = performance.now()
    const openedAt = timings.openedAt && mountedAt - timings.openedAt < 10_000 ? timings.openedAt : mountedAt
    let firstFrameAt: number | null = null
    const v = media()
    const markFirstFrame = () => {
      if (firstFrameAt !== null) return
      firstFrameAt = performance.now()
      marks.firstFrame = firstFrameAt
      log.debug(`first frame after ${Math.round(firstFrameAt - openedAt)} ms (${controller.currentSource})`)
    }
    if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback(markFirstFrame)
    else p.one('playing', markFirstFrame)
    // One view per opened video, reported when playback first starts.
    p.one('playing', () => void fetch(`/api/v1/videos/${video.id}/views`, { method: 'POST' }).catch(() => {}))

    const levels = () => (p as unknown as { qualityLevels?: () => QualityLevelListLike }).qualityLevels?.()
    const stats = {
      player: p,
      controller,
      get stats() {
        const el = media()
        const ql = levels()
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
    }
    const unexpose = expose('player', stats)
    void controller.start()
    setPlayer(p)

    const unbind = live
      ? bindCommands({
          videoId: video.id,
          currentTime: () => p.currentTime() ?? 0,
          bufferedAhead: () => bufferedAhead(toRanges(media().buffered), media().currentTime),
          playing: () => !p.paused(),
          source: () => controller.currentSource ?? 'direct',
          play: () => void Promise.resolve(p.play()).catch(() => undefined),
          pause: () => p.pause(),
          seek: (s) => p.currentTime(s),
          open: (id, at, playing) => openRef.current?.(id, at, playing),
        })
      : () => {}

    return () => {
      unbind()
      unexpose()
      controller.destroy()
      controllerRef.current = null
      p.dispose()
      setPlayer(null)
      setSlots(null)
    }
  }, [video.id])

  // Packaging finished while the original was playing: continue on ABR at the same position.
  // Still processing: a player waiting for an unplayable original starts once the growing playlists exist.
  useEffect(() => {
    if (status.status === 'processing' && status.view) controllerRef.current?.update(status.view)
    if (status.status === 'ready' && status.view && controllerRef.current) {
      controllerRef.current.switchToAbr(status.view)
      if (status.view.playback.poster && player && !player.hasStarted_) player.poster(status.view.playback.poster)
    }
    if (status.status === 'failed' && player) player.pause()
  }, [status.status, status.view, player])

  useEffect(() => {
    if (!player) return
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return
      const target = e.target instanceof HTMLElement ? e.target : null
      const action = keyAction({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, targetTag: target?.tagName, targetEditable: target?.isContentEditable })
      if (!action) return
      // Space on a focused control presses it; arrows on a focused slider move it.
      if (e.key === ' ' && target?.closest('button, a, [role="button"], [role="menuitemradio"]')) return
      if (e.key.startsWith('Arrow') && target?.closest('[role="slider"], [role="menu"], select')) return
      e.preventDefault()
      switch (action.type) {
        case 'toggle-play':
          if (player.paused()) void Promise.resolve(player.play()).catch(() => undefined)
          else player.pause()
          break
        case 'seek-by': {
          const d = player.duration() || Number.POSITIVE_INFINITY
          player.currentTime(Math.min(d, Math.max(0, (player.currentTime() ?? 0) + action.seconds)))
          player.userActive(true)
          break
        }
        case 'volume-by':
          player.volume(Math.min(1, Math.max(0, (player.volume() ?? 1) + action.delta)))
          if (action.delta > 0 && player.muted()) player.muted(false)
          player.userActive(true)
          break
        case 'toggle-mute':
          player.muted(!player.muted())
          player.userActive(true)
          break
        case 'toggle-fullscreen':
          if (player.isFullscreen()) void player.exitFullscreen()
          else void player.requestFullscreen()
          break
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [player])

  const processing = status.status === 'processing'
  const pct = Math.round(status.progress * 100)
  const failedReason = state.kind === 'failed' ? state.reason : status.status === 'failed' ? (status.view?.error ?? 'Processing failed.') : null

  return (
    <div className="relative h-full w-full overflow-hidden bg-black" data-testid="player" data-source={state.kind === 'playing' ? state.source : state.kind}>
      <div ref={hostRef} className="absolute inset-0" />
      {player && slots && state.kind === 'playing' && state.source === 'abr' && createPortal(<QualityMenu player={player} />, slots.quality)}
      {player && slots && video.playback.storyboard && createPortal(<StoryboardPreview player={player} url={video.playback.storyboard} />, slots.preview)}
      {processing && state.kind === 'playing' && (
        <div className="pointer-events-none absolute inset-x-0 top-0 z-10" aria-live="polite">
          <div className="h-1 w-full bg-white/10">
            <div className="h-full bg-rose-500 transition-[width] duration-700" style={{ width: `${pct}%` }} />
          </div>
          <p className="m-3 inline-flex items-center gap-2 rounded-full bg-black/70 px-3 py-1 text-xs font-medium text-white" data-testid="processing-overlay">
            <span className="h-2 w-2 animate-pulse rounded-full bg-rose-500" aria-hidden />
            Processing {pct}% · {state.source === 'abr' ? 'playing the parts prepared so far' : `playing the original${state.source === 'chunked' ? ' (chunked)' : ''}`}
          </p>
        </div>
      )}
      {state.kind === 'waiting' && status.status === 'processing' && (
        <div className="absolute inset-0 z-10 flex flex-col items-center justify-center gap-4 bg-zinc-950 p-6 text-center text-white" aria-live="polite">
          <p className="text-lg font-medium">Preparing this video… {pct}%</p>
          <div
            className="h-2 w-64 max-w-full overflow-hidden rounded-full bg-white/10"
            role="progressbar"
            aria-label="Processing progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <div className="h-full bg-rose-500 transition-[width] duration-700" style={{ width: `${pct}%` }} />
          </div>
          <p className="max-w-md text-sm text-zinc-400">{state.reason}</p>
        </div>
      )}
      {failedReason && (
        <div className="absolute inset-0 z-10 flex flex-col items-center justify-center gap-2 bg-zinc-950 p-6 text-center text-white" role="alert">
          <p className="text-lg font-medium">This video could not be processed.</p>
          <p className="max-w-md text-sm text-zinc-400" data-testid="failure-reason">
            {failedReason}
          </p>
        </div>
      )}
    </div>
  )
}
