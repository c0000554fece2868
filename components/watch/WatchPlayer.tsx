'use client'

import 'video.js/dist/video-js.css'
import { useEffect, useRef } from 'react'
import { PlaybackController } from '@/lib/player/PlaybackController'
import type { VideoView } from '@/lib/videos/view'
import { createPlayer, mediaAdapter, type Player } from '../player/videojs-player'

export interface WatchPlayerProps {
  video: VideoView
  /** Where to start (ms): the room's timeline when the video opens. */
  startAtMs: number
  /** The player once it has media, null when it goes away. */
  onReady: (player: Player | null) => void
}

/**
 * The together room's player: video.js with the usual source choice, but no controls of its own:
 * the room's timeline drives it and the room's controls send commands.
 */
export default function WatchPlayer({ video, startAtMs, onReady }: WatchPlayerProps) {
  const hostRef = useRef<HTMLDivElement>(null)
  const readyRef = useRef(onReady)
  readyRef.current = onReady

  // biome-ignore lint/correctness/useExhaustiveDependencies: one player per video; the parent remounts on a new id
  useEffect(() => {
    const host = hostRef.current
    if (!host) return
    const { player } = createPlayer(host, { title: video.title, poster: video.playback.poster })
    player.controls(false)
    const controller = new PlaybackController(
      mediaAdapter(player, () => {}),
      video,
      { startAt: startAtMs / 1000, autoPlay: false },
    )
    player.one('loadedmetadata', () => readyRef.current(player))
    void controller.start()
    return () => {
      readyRef.current(null)
      controller.destroy()
      player.dispose()
    }
  }, [video.id])

  return <div ref={hostRef} className="absolute inset-0" data-testid="watch-player" />
}
