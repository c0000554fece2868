'use client'

import { useEffect } from 'react'
import { keyAction } from '@/lib/player/keyboard'
import { type Player, play } from './videojs-player'

/** Keyboard shortcuts for the open player, except where a focused control owns the key. */
export function usePlayerKeys(player: Player | null): void {
  useEffect(() => {
    if (!player) return
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return
      const target = e.target instanceof HTMLElement ? e.target : null
      const action = keyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        targetTag: target?.tagName,
        targetEditable: target?.isContentEditable,
      })
      if (!action) return
      // Space on a focused control presses it; arrows on a focused slider move it.
      if (e.key === ' ' && target?.closest('button, a, [role="button"], [role="menuitemradio"]')) return
      if (e.key.startsWith('Arrow') && target?.closest('[role="slider"], [role="menu"], select')) return
      e.preventDefault()
      switch (action.type) {
        case 'toggle-play':
          if (player.paused()) play(player)
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
}
