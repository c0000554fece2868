'use client'

import { useEffect } from 'react'
import { loadLocalPosition, resumePoint, saveLocalPosition } from '@/lib/player/resume'
import type { VideoView } from '@/lib/videos/view'
import type { Player } from './videojs-player'

/** How often a playing player reports its position. */
const REPORT_EVERY_MS = 10_000

/** Where this viewer left off in the video (seconds), unless they finished it: the server's record when signed in, this browser's otherwise. */
export function resumeAt(video: Pick<VideoView, 'id' | 'durationMs' | 'watchProgress'>, signedIn: boolean): number | undefined {
  const saved = signedIn ? video.watchProgress && { positionMs: video.watchProgress.positionMs, durationMs: null } : loadLocalPosition(video.id)
  return resumePoint(saved, video.durationMs)
}

/**
 * Reports where the viewer is: every 10 s while playing, and at once on pause, seek, end, page
 * hide and close. Signed-in viewers' positions go to the server (a keepalive request survives the
 * page unloading), anonymous ones stay in local storage. Nothing is reported before playback
 * starts, so a player closed while loading never overwrites the saved position with 0.
 */
export function useWatchProgress(player: Player | null, videoId: string, signedIn: boolean): void {
  useEffect(() => {
    if (!player) return
    let started = false
    let positionMs = 0
    let durationMs: number | null = null
    let sentMs: number | null = null
    let sentAt = 0

    const send = () => {
      if (!started || positionMs === sentMs) return
      sentMs = positionMs
      sentAt = Date.now()
      const body = { positionMs, ...(durationMs ? { durationMs } : {}) }
      if (!signedIn) return saveLocalPosition(videoId, { positionMs, durationMs })
      void fetch(`/api/v1/videos/${encodeURIComponent(videoId)}/progress`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        keepalive: true,
      }).catch(() => {})
    }
    const sample = () => {
      positionMs = Math.round((player.currentTime() ?? 0) * 1000)
      const d = player.duration()
      if (d && Number.isFinite(d)) durationMs = Math.round(d * 1000)
    }
    const onPlaying = () => {
      started = true
      sample()
    }
    const onTime = () => {
      if (!started) return
      sample()
      if (Date.now() - sentAt >= REPORT_EVERY_MS) send()
    }
    const flush = () => {
      if (!started) return
      sample()
      send()
    }
    const onHidden = () => {
      if (document.visibilityState === 'hidden') send()
    }
    player.on('playing', onPlaying)
    player.on('timeupdate', onTime)
    player.on(['pause', 'seeked', 'ended'], flush)
    window.addEventListener('pagehide', send)
    document.addEventListener('visibilitychange', onHidden)
    return () => {
      window.removeEventListener('pagehide', send)
      document.removeEventListener('visibilitychange', onHidden)
      if (!player.isDisposed()) {
        player.off('playing', onPlaying)
        player.off('timeupdate', onTime)
        player.off(['pause', 'seeked', 'ended'], flush)
      }
      // The player may be disposed already: report the last sample taken.
      send()
    }
  }, [player, videoId, signedIn])
}
