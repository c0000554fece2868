'use client'

import 'video.js/dist/video-js.css'
import { useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { type ControllerState, PlaybackController, type PreparingSeek } from '@/lib/player/PlaybackController'
import { bindCommands } from '@/lib/player/realtime'
import { bufferedAhead, toRanges } from '@/lib/player/stream-plan'
import type { VideoView } from '@/lib/videos/view'
import { bindAudioChoice } from './audio-tracks'
import { ChapterMarks } from './ChapterMarks'
import { trackPlayer } from './player-stats'
import { QualityMenu } from './QualityMenu'
import { StoryboardPreview } from './StoryboardPreview'
import { addCaptionTracks, addChaptersTrack, bindCaptionChoice } from './text-tracks'
import { usePlayerKeys } from './usePlayerKeys'
import { useVideoStatus } from './useVideoStatus'
import { resumeAt, useWatchProgress } from './useWatchProgress'
import { type ControlSlots, createPlayer, hasStarted, mediaAdapter, mediaElement, type Player, play, routeSeeks } from './videojs-player'

export interface VideoPlayerProps {
  video: VideoView
  autoPlay?: boolean
  /** Seconds to start at (a remote command, a shared link's `?t=`); otherwise where the viewer left off. */
  startAt?: number
  /** Start muted (an embed's `?muted=1`), without changing the remembered volume. */
  muted?: boolean
  /** The player once created (null when disposed), for the modal's share box. */
  onPlayer?: (p: Player | null) => void
  /** Signed in: use the /player socket for live progress and remote commands. */
  live?: boolean
  /** A remote command asked for another video. */
  onOpenVideo?: (id: string, at: number, playing: boolean) => void
}

/**
 * The modal's player (video component layer): video.js 8 with VHS, created on mount and
 * disposed on unmount with everything it started (requests, MediaSource, socket binding).
 */
export default function VideoPlayer({ video, autoPlay = true, startAt, muted = false, live = false, onOpenVideo, onPlayer }: VideoPlayerProps) {
  const hostRef = useRef<HTMLDivElement>(null)
  const [player, setPlayer] = useState<Player | null>(null)
  const [slots, setSlots] = useState<ControlSlots | null>(null)
  const [state, setState] = useState<ControllerState>({ kind: 'starting' })
  const [preparing, setPreparing] = useState<PreparingSeek | null>(null)
  const controllerRef = useRef<PlaybackController | null>(null)
  const openRef = useRef(onOpenVideo)
  openRef.current = onOpenVideo
  const onPlayerRef = useRef(onPlayer)
  onPlayerRef.current = onPlayer
  const status = useVideoStatus(
    video.id,
    { status: video.status, progress: video.progress, contentHash: video.contentHash, sessionId: video.sessionId },
    { enabled: video.status === 'processing', live },
  )

  // biome-ignore lint/correctness/useExhaustiveDependencies: one player per video; the parent remounts on a new id
  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const { player: p, slots } = createPlayer(host, { title: video.title, poster: video.playback.poster, muted })
    setSlots(slots)
    if (video.playback.chapters) addChaptersTrack(p, video.playback.chapters)
    const track = trackPlayer(p, video)
    const controller = new PlaybackController(
      mediaAdapter(p, () => track.mark('source')),
      video,
      { onState: setState, onPreparing: setPreparing, startAt: startAt ?? resumeAt(video, live), autoPlay },
    )
    controllerRef.current = controller
    const unroute = routeSeeks(p, (t) => controller.seekTarget(t))
    const unexpose = track.expose(controller)
    // One view per opened video, reported when playback first starts.
    p.one('playing', () => void fetch(`/api/v1/videos/${video.id}/views`, { method: 'POST' }).catch(() => {}))
    void controller.start()
    setPlayer(p)
    onPlayerRef.current?.(p)
    const unbind = live ? bindPlayerCommands(p, controller, video.id, (id, at, playing) => openRef.current?.(id, at, playing)) : () => {}

    return () => {
      unbind()
      unroute()
      unexpose()
      controller.destroy()
      controllerRef.current = null
      onPlayerRef.current?.(null)
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
      if (status.view.playback.poster && player && !hasStarted(player)) player.poster(status.view.playback.poster)
    }
    if (status.status === 'failed' && player) player.pause()
  }, [status.status, status.view, player])

  usePlayerKeys(player)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tracks of one video; the parent remounts on a new id
  useEffect(() => (player ? bindAudioChoice(player, video.audioTracks, navigator.languages) : undefined), [player])
  useWatchProgress(player, video.id, live)

  // Captions: the viewer's language (or `?captions=`) whatever the source; playing the original,
  // the tracks come from the video JSON (on the adaptive stream VHS reads them from the manifest).
  useEffect(() => (player ? bindCaptionChoice(player, new URLSearchParams(window.location.search).get('captions')) : undefined), [player])
  const source = state.kind === 'playing' ? state.source : null
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tracks of one video; the parent remounts on a new id
  useEffect(() => {
    if (player && source && source !== 'abr') addCaptionTracks(player, video.playback.captions)
  }, [player, source])

  const processing = status.status === 'processing'
  const pct = Math.round(status.progress * 100)
  const failedReason = state.kind === 'failed' ? state.reason : status.status === 'failed' ? (status.view?.error ?? 'Processing failed.') : null

  return (
    <div className="relative h-full w-full overflow-hidden bg-black" data-testid="player" data-source={state.kind === 'playing' ? state.source : state.kind}>
      <div ref={hostRef} className="absolute inset-0" />
      {player && slots && state.kind === 'playing' && state.source === 'abr' && createPortal(<QualityMenu player={player} />, slots.quality)}
      {player && slots && video.playback.storyboard && createPortal(<StoryboardPreview player={player} url={video.playback.storyboard} />, slots.preview)}
      {player && slots && video.chapters.length > 0 && <ChapterMarks player={player} chapters={video.chapters} slot={slots.preview} />}
      {processing && state.kind === 'playing' && (
        <div className="pointer-events-none absolute inset-x-0 top-0 z-10" aria-live="polite">
          <div className="h-1 w-full bg-white/10">
            <div className="h-full bg-rose-500 transition-[width] duration-700" style={{ width: `${pct}%` }} />
          </div>
          <p className="m-3 inline-flex items-center gap-2 rounded-full bg-black/70 px-3 py-1 text-xs font-medium text-white" data-testid="processing-overlay">
            <span className="h-2 w-2 animate-pulse rounded-full bg-rose-500" aria-hidden />
            Processing {pct}% ·{' '}
            {state.source === 'abr' ? 'playing the parts prepared so far' : `playing the original${state.source === 'chunked' ? ' (chunked)' : ''}`}
          </p>
        </div>
      )}
      {preparing && (
        <div
          className="pointer-events-none absolute inset-0 z-10 flex flex-col items-center justify-center gap-2 bg-black/70 p-6 text-center text-white"
          aria-live="polite"
          data-testid="seek-preparing"
        >
          <p className="text-lg font-medium">Still preparing this part…</p>
          <p className="text-sm text-zinc-300">
            It plays from {clock(preparing.at)} as soon as it is ready (prepared up to {clock(preparing.preparedTo)}, {pct}% of the video).
          </p>
        </div>
      )}
      {state.kind === 'waiting' && status.status === 'processing' && (
        <div
          className="absolute inset-0 z-10 flex flex-col items-center justify-center gap-4 bg-zinc-950 p-6 text-center text-white"
          aria-live="polite"
          data-testid="preparing"
        >
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

/** m:ss (h:mm:ss past an hour). */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60]
  return hms[0] ? `${hms[0]}:${String(hms[1]).padStart(2, '0')}:${String(hms[2]).padStart(2, '0')}` : `${hms[1]}:${String(hms[2]).padStart(2, '0')}`
}

/** The /player socket's commands for this player (signed-in viewers: admins can address it). */
function bindPlayerCommands(p: Player, controller: PlaybackController, videoId: string, open: (id: string, at: number, playing: boolean) => void): () => void {
  const media = () => mediaElement(p)
  return bindCommands({
    videoId,
    currentTime: () => p.currentTime() ?? 0,
    bufferedAhead: () => bufferedAhead(toRanges(media().buffered), media().currentTime),
    playing: () => !p.paused(),
    source: () => controller.currentSource ?? 'direct',
    play: () => play(p),
    pause: () => p.pause(),
    seek: (s) => p.currentTime(s),
    open,
  })
}
