'use client'

import { useEffect, useRef, useState } from 'react'
import { onPipelineEvents } from '@/lib/player/realtime'
import type { VideoStatus } from '@/lib/player/source'
import type { VideoView } from '@/lib/videos/view'

export interface LiveStatus {
  status: VideoStatus
  /** 0..1 */
  progress: number
  /** The latest full view, once fetched. */
  view: VideoView | null
}

export const POLL_MS = 2000

/**
 * Follows a video while it is processing: polls GET /api/v1/videos/{id} every 2 s (the
 * fallback that always works) and, for signed-in viewers, takes progress from pipeline events
 * on the /player socket as they arrive, fetching at once when one says the state changed.
 */
export function useVideoStatus(
  id: string,
  initial: { status: VideoStatus; progress?: number; contentHash?: string; sessionId?: string | null },
  opts: { enabled?: boolean; live?: boolean } = {},
): LiveStatus {
  const [state, setState] = useState<LiveStatus>({ status: initial.status, progress: initial.progress ?? 0, view: null })
  const status = state.status
  const enabled = opts.enabled !== false
  const ids = useRef({ contentHash: initial.contentHash, sessionId: initial.sessionId })

  useEffect(() => {
    if (!enabled || status !== 'processing') return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | null = null
    let inflight: AbortController | null = null
    const fetchNow = async () => {
      if (timer) clearTimeout(timer)
      inflight?.abort()
      const ac = new AbortController()
      inflight = ac
      try {
        const res = await fetch(`/api/v1/videos/${encodeURIComponent(id)}`, { signal: ac.signal, cache: 'no-store' })
        if (res.ok) {
          const view = (await res.json()) as VideoView
          ids.current = { contentHash: view.contentHash, sessionId: view.sessionId }
          if (!stopped) setState({ status: view.status, progress: view.progress ?? 0, view })
          if (view.status !== 'processing') return
        }
      } catch {
        /* offline or aborted: try again on the next tick */
      }
      if (!stopped && inflight === ac) timer = setTimeout(fetchNow, document.hidden ? POLL_MS * 5 : POLL_MS)
    }
    void fetchNow()
    const unsubscribe = opts.live
      ? onPipelineEvents((e) => {
          const mine =
            e.videoId === id || (e.contentHash && e.contentHash === ids.current.contentHash) || (e.sessionId && e.sessionId === ids.current.sessionId)
          if (!mine) return
          if (e.progress !== undefined) setState((s) => ({ ...s, progress: Math.max(s.progress, e.progress!) }))
          // A state change (stored, failed, cancelled, a playable manifest): read the view at once.
          if (/stored|failed|cancel|completed|manifest|ready/i.test(`${e.type ?? ''} ${e.state ?? ''} ${e.name}`)) void fetchNow()
        })
      : () => {}
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
      inflight?.abort()
      unsubscribe()
    }
  }, [id, status, enabled, opts.live])

  return state
}
