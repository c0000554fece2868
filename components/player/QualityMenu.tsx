'use client'

import { useEffect, useId, useRef, useState } from 'react'
import { applyQuality, currentHeight, type QualityOption, qualityOptions } from '@/lib/player/quality'
import { type Player, qualityLevels } from './videojs-player'

/**
 * The quality menu in the control bar: Auto plus one entry per rung, over VHS's quality levels
 * (video.js 8 ships `player.qualityLevels()`); written here rather than pulled in as a plugin so
 * it is a plain accessible menu we style and test like the rest of the UI.
 */
export function QualityMenu({ player }: { player: Player }) {
  const [options, setOptions] = useState<QualityOption[]>([])
  const [selected, setSelected] = useState('auto')
  const [playing, setPlaying] = useState<number | null>(null)
  const [open, setOpen] = useState(false)
  const menuId = useId()
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const levels = qualityLevels(player)
    if (!levels) return
    const refresh = () => {
      setOptions(qualityOptions(levels))
      setPlaying(currentHeight(levels))
    }
    refresh()
    levels.on('addqualitylevel', refresh)
    levels.on('removequalitylevel', refresh)
    levels.on('change', refresh)
    return () => {
      levels.off('addqualitylevel', refresh)
      levels.off('removequalitylevel', refresh)
      levels.off('change', refresh)
    }
  }, [player])

  useEffect(() => {
    if (!open) return
    player.userActive(true)
    const items = menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]')
    const checked = menuRef.current?.querySelector<HTMLElement>('[aria-checked="true"]')
    ;(checked ?? items?.[0])?.focus()
    const close = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open, player])

  if (options.length <= 2) return null

  const choose = (value: string) => {
    const levels = qualityLevels(player)
    if (levels) applyQuality(levels, value)
    setSelected(value)
    setOpen(false)
    buttonRef.current?.focus()
  }

  const onMenuKey = (e: React.KeyboardEvent) => {
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])
    const i = items.indexOf(document.activeElement as HTMLElement)
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      setOpen(false)
      buttonRef.current?.focus()
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      e.stopPropagation()
      const next = items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]
      next?.focus()
      player.userActive(true)
    } else if (e.key === 'Tab') {
      setOpen(false)
    }
  }

  const label = selected === 'auto' ? `Auto${playing ? ` · ${playing}p` : ''}` : `${selected}p`
  return (
    <div className="relative flex h-full items-center">
      <button
        ref={buttonRef}
        type="button"
        className="vjs-reelhouse-quality h-full px-2 text-[11px] font-semibold tracking-wide whitespace-nowrap text-white"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Quality: ${label}`}
        title="Quality"
        onClick={() => setOpen((o) => !o)}
      >
        {label}
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Quality"
          tabIndex={-1}
          onKeyDown={onMenuKey}
          className="absolute right-0 bottom-full z-20 mb-2 min-w-36 overflow-hidden rounded-lg bg-zinc-900/95 py-1 text-left text-sm text-white shadow-xl ring-1 ring-white/10"
        >
          {options.map((o) => (
            <button
              key={o.value}
              type="button"
              role="menuitemradio"
              aria-checked={selected === o.value}
              onClick={() => choose(o.value)}
              className="flex w-full items-center justify-between gap-4 px-3 py-1.5 text-left text-[13px] hover:bg-white/10 focus-visible:bg-white/10 focus-visible:outline-none"
            >
              <span>{o.label}</span>
              <span className="text-[11px] text-zinc-400">{selected === o.value ? '✓' : o.bitrate ? `${(o.bitrate / 1e6).toFixed(1)} Mb/s` : ''}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
