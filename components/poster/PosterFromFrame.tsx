'use client'

import { useState } from 'react'
import { choosePoster } from './choose-poster'

/** "Use this frame as poster" for the video's owner: the frame at the player's current time. */
export function PosterFromFrame({ videoId, currentTimeS }: { videoId: string; currentTimeS: () => number | null }) {
  const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; text?: string }>({ kind: 'idle' })
  const use = async () => {
    const t = currentTimeS()
    if (t === null) return
    setState({ kind: 'busy' })
    try {
      await choosePoster(videoId, { atMs: Math.floor(t * 1000) })
      setState({ kind: 'done', text: 'Poster updated.' })
    } catch (err) {
      setState({ kind: 'error', text: (err as Error).message })
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={state.kind === 'busy'}
        onClick={() => void use()}
        className="font-medium text-rose-600 hover:underline disabled:opacity-50 dark:text-rose-400"
      >
        {state.kind === 'busy' ? 'Making poster…' : 'Use this frame as poster'}
      </button>
      {state.text && (
        <span role={state.kind === 'error' ? 'alert' : 'status'} className={state.kind === 'error' ? 'text-red-600' : 'text-emerald-600'}>
          {state.text}
        </span>
      )}
    </span>
  )
}
