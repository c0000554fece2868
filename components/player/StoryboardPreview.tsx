'use client'

import { useEffect, useState } from 'react'
import type { Player } from './videojs-player'
import { parseStoryboard, type StoryboardCue, storyboardAt } from '@/lib/player/storyboard'

const MAX_WIDTH = 192

/** Storyboard thumbnail above the progress bar while the pointer hovers it. */
export function StoryboardPreview({ player, url }: { player: Player; url: string }) {
  const [cues, setCues] = useState<StoryboardCue[]>([])
  const [hover, setHover] = useState<{ left: number; width: number; cue: StoryboardCue } | null>(null)

  useEffect(() => {
    const ac = new AbortController()
    fetch(url, { signal: ac.signal })
      .then((r) => (r.ok ? r.text() : ''))
      .then((text) => setCues(parseStoryboard(text, url)))
      .catch(() => undefined)
    return () => ac.abort()
  }, [url])

  useEffect(() => {
    if (cues.length === 0) return
    const progress = player.getChild('ControlBar')?.getChild('ProgressControl')
    const area = progress?.el() as HTMLElement | undefined
    const bar = progress?.getChild('SeekBar')?.el() as HTMLElement | undefined
    if (!area || !bar) return
    const move = (e: PointerEvent) => {
      const r = bar.getBoundingClientRect()
      const duration = player.duration()
      if (!duration || r.width === 0) return
      const ratio = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width))
      const cue = storyboardAt(cues, ratio * duration)
      if (cue) setHover({ left: e.clientX - area.getBoundingClientRect().left, width: area.clientWidth, cue })
    }
    const leave = () => setHover(null)
    area.addEventListener('pointermove', move)
    area.addEventListener('pointerleave', leave)
    return () => {
      area.removeEventListener('pointermove', move)
      area.removeEventListener('pointerleave', leave)
    }
  }, [player, cues])

  if (!hover) return null
  const { cue } = hover
  const scale = Math.min(1, MAX_WIDTH / cue.w)
  const w = cue.w * scale
  const h = cue.h * scale
  const left = Math.min(Math.max(hover.left, w / 2), Math.max(w / 2, hover.width - w / 2))
  return (
    <div
      aria-hidden
      data-testid="storyboard-preview"
      className="pointer-events-none absolute overflow-hidden rounded-md shadow-lg ring-2 ring-white/80"
      style={{ left, bottom: 'calc(100% + 2.6em)', width: w, height: h, transform: 'translateX(-50%)' }}
    >
      <div
        style={{
          width: cue.w,
          height: cue.h,
          backgroundImage: `url("${cue.url}")`,
          backgroundPosition: `-${cue.x}px -${cue.y}px`,
          transform: `scale(${scale})`,
          transformOrigin: 'top left',
        }}
      />
    </div>
  )
}
