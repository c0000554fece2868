'use client'

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { Socket } from 'socket.io-client'
import { connectAdminSocket } from '@/lib/realtime/connect'
import { EVENTS } from '@/lib/realtime/protocol'

// Live data for the admin pages: one /admin socket.io connection per tab, shared by every
// component, and REST polling as the fallback (and the safety net) when the socket is down.

export interface PipelineEvent {
  id: string
  sessionId: string
  contentHash: string
  type: string
  data: Record<string, unknown>
  at: string
}

let shared: { socket: Socket; users: number } | null = null
const listeners = new Set<() => void>()
const notify = () => {
  for (const l of listeners) l()
}

function acquire(): Socket {
  if (!shared) {
    const socket = connectAdminSocket()
    socket.on('connect', notify)
    socket.on('disconnect', notify)
    socket.on('connect_error', notify)
    shared = { socket, users: 0 }
  }
  shared.users++
  return shared.socket
}

function release(): void {
  if (!shared) return
  shared.users--
  // Disconnect a moment later so navigating between admin pages reuses the connection.
  setTimeout(() => {
    if (shared && shared.users <= 0) {
      shared.socket.disconnect()
      shared = null
      notify()
    }
  }, 1000)
}

/** The shared /admin socket and whether it is connected. */
export function useAdminSocket(): { socket: Socket | null; connected: boolean } {
  const [socket, setSocket] = useState<Socket | null>(null)
  useEffect(() => {
    const s = acquire()
    setSocket(s)
    return release
  }, [])
  const connected = useSyncExternalStore(
    (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    () => !!shared?.socket.connected,
    () => false,
  )
  return { socket, connected }
}

/** Calls `handler` for every pipeline event (with the latest handler, without re-subscribing). */
export function usePipelineEvents(handler: (ev: PipelineEvent) => void): boolean {
  const { socket, connected } = useAdminSocket()
  const ref = useRef(handler)
  ref.current = handler
  useEffect(() => {
    if (!socket) return
    const on = (ev: PipelineEvent) => ref.current(ev)
    socket.on(EVENTS.pipelineEvent, on)
    return () => {
      socket.off(EVENTS.pipelineEvent, on)
    }
  }, [socket])
  return connected
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message)
  }
}

/** fetch() for the JSON API with the session cookie; problem+json errors become ApiError. */
export async function api<T = unknown>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init
  const res = await fetch(path, {
    ...rest,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...rest.headers },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  })
  if (res.status === 204) return undefined as T
  const type = res.headers.get('content-type') ?? ''
  const body = type.includes('json') ? await res.json().catch(() => null) : await res.text()
  if (!res.ok) {
    const p = (body ?? {}) as { detail?: string; title?: string; code?: string; errors?: { path: string; message: string }[] }
    const fields = p.errors?.map((e) => `${e.path}: ${e.message}`).join('; ')
    throw new ApiError(res.status, [p.detail ?? p.title ?? `HTTP ${res.status}`, fields].filter(Boolean).join(' — '), p.code)
  }
  return body as T
}

/**
 * Loads `url` and keeps it fresh: every `pollMs` while the socket is down, every `livePollMs` while
 * it is up, and within ~300 ms of any pipeline event that `onEvent` accepts (default: all).
 */
export function useLiveResource<T>(url: string | null, opts: { pollMs?: number; livePollMs?: number; onEvent?: (ev: PipelineEvent) => boolean } = {}) {
  const { pollMs = 2000, livePollMs = 5000, onEvent } = opts
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const inflight = useRef(false)
  const queued = useRef(false)
  const urlRef = useRef(url)
  urlRef.current = url

  const load = useCallback(async () => {
    const target = urlRef.current
    if (!target) return
    if (inflight.current) {
      queued.current = true
      return
    }
    inflight.current = true
    try {
      const next = await api<T>(target)
      if (urlRef.current === target) {
        setData(next)
        setError(null)
      }
    } catch (err) {
      setError((err as Error).message)
    } finally {
      inflight.current = false
      setLoading(false)
      if (queued.current) {
        queued.current = false
        void load()
      }
    }
  }, [])

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const connected = usePipelineEvents((ev) => {
    if (onEvent && !onEvent(ev)) return
    if (timer.current) return
    timer.current = setTimeout(() => {
      timer.current = null
      void load()
    }, 300)
  })

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the URL changes
  useEffect(() => {
    setLoading(true)
    void load()
  }, [url, load])

  useEffect(() => {
    const every = connected ? livePollMs : pollMs
    const t = setInterval(() => {
      if (document.visibilityState !== 'hidden') void load()
    }, every)
    return () => clearInterval(t)
  }, [connected, pollMs, livePollMs, load])

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )

  return { data, error, loading, connected, reload: load, setData }
}

/**
 * A row action on an admin table: clears the last error, runs `fn`, keeps its error to show, and
 * reloads the table either way (a failed action may still have changed the row).
 */
export function useAdminAction(reload: () => Promise<unknown>): { actionError: string | null; run: (fn: () => Promise<unknown>) => Promise<void> } {
  const [actionError, setActionError] = useState<string | null>(null)
  const run = async (fn: () => Promise<unknown>) => {
    setActionError(null)
    try {
      await fn()
    } catch (err) {
      setActionError((err as Error).message)
    }
    await reload()
  }
  return { actionError, run }
}
