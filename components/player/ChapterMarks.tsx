'use client'

import { useEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import type { Player } from './videojs-player'

interface Chapter {
  startMs: number
  title: string
}

/** The chapter at `ms`: the last one that started by then. */
export const chapterAt = (chapters: readonly Chapter[], ms: number): Chapter | undefined => chapters.findLast((c) => c.startMs <= ms)

/**
 * Chapter boundaries as gaps in the progress bar, and the title of the chapter under the pointer
 * while it hovers or scrubs the bar (shown in `slot`, above the bar).
 */
export function ChapterMarks({ player, chapters, slot }: { player: Player; chapters: readonly Chapter[]; slot: HTMLElement }) {
  const [durationS, setDurationS] = useState(() => player.duration() || 0)
  const [hover, setHover] = useState<{ left: number; width: number; title: string } | null>(null)
  const progress = player.getChild('ControlBar')?.getChild('ProgressControl')
  const seekBar = progress?.getChild('SeekBar')?.el() as HTMLElement | undefined

  useEffect(() => {
    const update = () => setDurationS(player.duration() || 0)
    player.on('durationchange', update)
    return () => player.off('durationchange', update)
  }, [player])

  useEffect(() => {
    const area = progress?.el() as HTMLElement | undefined
    if (!area || !seekBar) return
    const move = (e: PointerEvent) => {
      const r = seekBar.getBoundingClientRect()
      if (!durationS || r.width === 0) return
      const ratio = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width))
      const chapter = chapterAt(chapters, ratio * durationS * 1000)
      setHover(chapter ? { left: e.clientX - area.getBoundingClientRect().left, width: area.clientWidth, title: chapter.title } : null)
    }
    const leave = () => setHover(null)
    area.addEventListener('pointermove', move)
    area.addEventListener('pointerleave', leave)
    return () => {
      area.removeEventListener('pointermove', move)
      area.removeEventListener('pointerleave', leave)
    }
  }, [progress, seekBar, chapters, durationS])

  const marks =
    seekBar && durationS > 0
      ? createPortal(
          chapters
            .filter((c) => c.startMs > 0 && c.startMs < durationS * 1000)
            .map((c) => (
              <span
                key={c.startMs}
                aria-hidden
                className="vjs-chapter-mark"
                data-testid="chapter-mark"
                style={{ left: `${(c.startMs / (durationS * 1000)) * 100}%` }}
              />
            )),
          seekBar,
        )
      : null

  return (
    <>
      {marks}
      {hover &&
        createPortal(
          <div
            data-testid="chapter-title"
            className="pointer-events-none absolute max-w-[60%] truncate rounded bg-black/80 px-2 py-0.5 text-[12px] font-medium text-white"
            style={{ left: Math.min(Math.max(hover.left, 40), Math.max(40, hover.width - 40)), bottom: 'calc(100% + 0.4em)', transform: 'translateX(-50%)' }}
          >
            {hover.title}
          </div>,
          slot,
        )}
    </>
  )
}
