'use client'

import { useEffect, useState } from 'react'
import type { RoomCommand } from '@/lib/player/together-session'

type Send = (command: RoomCommand) => void

const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2]

const fmt = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(s / 3600)
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0')
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`
}

const button =
  'rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-40 dark:border-zinc-700 dark:hover:bg-zinc-800'

/** Play/pause, a position bar, ±10 s, previous/next and the rate, for members allowed to command. */
export function RoomControls(props: {
  playing: boolean
  rate: number
  positionMs: () => number | null
  durationMs: number | null
  hasPrev: boolean
  hasNext: boolean
  send: Send
}) {
  const { playing, rate, send, durationMs } = props
  const [pos, setPos] = useState(0)
  const [scrub, setScrub] = useState<number | null>(null)
  const readPosition = props.positionMs
  useEffect(() => {
    const t = setInterval(() => setPos(readPosition() ?? 0), 250)
    return () => clearInterval(t)
  }, [readPosition])
  const shown = scrub ?? pos
  const seek = (ms: number) => send({ type: 'seek', positionMs: Math.max(0, Math.round(ms)) })

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="controls">
      <button type="button" className={button} onClick={() => send({ type: playing ? 'pause' : 'play' })} data-testid="play-pause">
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" className={button} onClick={() => seek(pos - 10_000)} aria-label="Back 10 seconds">
        −10 s
      </button>
      <button type="button" className={button} onClick={() => seek(pos + 10_000)} aria-label="Forward 10 seconds">
        +10 s
      </button>
      <button type="button" className={button} disabled={!props.hasPrev} onClick={() => send({ type: 'prev' })}>
        Prev
      </button>
      <button type="button" className={button} disabled={!props.hasNext} onClick={() => send({ type: 'next' })}>
        Next
      </button>
      <label className="flex items-center gap-1 text-sm">
        <span className="sr-only">Playback rate</span>
        <select
          className="rounded-md border border-zinc-300 bg-transparent px-2 py-1.5 text-sm dark:border-zinc-700"
          value={rate}
          onChange={(e) => send({ type: 'rate', rate: Number(e.target.value) })}
          data-testid="rate"
        >
          {[...new Set([...RATES, rate])]
            .sort((a, b) => a - b)
            .map((r) => (
              <option key={r} value={r}>
                {r}×
              </option>
            ))}
        </select>
      </label>
      <div className="flex w-full min-w-0 items-center gap-2">
        <span className="w-12 shrink-0 font-mono text-xs tabular-nums" data-testid="position">
          {fmt(shown)}
        </span>
        <input
          type="range"
          aria-label="Position"
          className="min-w-0 flex-1 accent-rose-500"
          min={0}
          max={durationMs ?? Math.max(shown, 1)}
          step={100}
          value={Math.min(shown, durationMs ?? shown)}
          onChange={(e) => setScrub(Number(e.target.value))}
          onPointerUp={() => {
            if (scrub !== null) seek(scrub)
            setScrub(null)
          }}
          onKeyUp={() => {
            if (scrub !== null) seek(scrub)
            setScrub(null)
          }}
        />
        <span className="w-12 shrink-0 text-right font-mono text-xs tabular-nums">{durationMs ? fmt(durationMs) : '—'}</span>
      </div>
    </div>
  )
}
