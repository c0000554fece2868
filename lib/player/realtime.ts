import type { Socket } from 'socket.io-client'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import { connectPlayerSocket, newClientId } from '@/lib/realtime/connect'
import { driftCorrection } from '@/lib/realtime/playback'
import type { PresenceReport } from '@/lib/realtime/protocol'
import { expose } from './debug'

// The player's link to the command layer (seed 000, layer 1), in one place: a /player socket
// shared by everything on the page (ref-counted, closed with its last user), the personal room
// each open player joins so an admin can address it, directives applied to the media, and the
// presence the player reports. Media code never waits on it and it never waits on media.

let shared: { socket: Socket; refs: number } | null = null

/** The page's /player socket (signed-in users only); call release() when done. */
export function acquirePlayerSocket(): { socket: Socket; release: () => void } {
  if (!shared) shared = { socket: connectPlayerSocket(undefined, { reconnectionDelayMax: 10_000 }), refs: 0 }
  const entry = shared
  entry.refs++
  let released = false
  return {
    socket: entry.socket,
    release: () => {
      if (released) return
      released = true
      if (--entry.refs === 0) {
        entry.socket.disconnect()
        if (shared === entry) shared = null
      }
    },
  }
}

/** This tab's id for its personal room (kept for the life of the tab). */
export function tabClientId(): string {
  const key = 'reelhouse:clientId'
  try {
    const existing = sessionStorage.getItem(key)
    if (existing) return existing
    const id = newClientId()
    sessionStorage.setItem(key, id)
    return id
  } catch {
    return newClientId()
  }
}

/** What the command layer may do with a mounted player. Seconds throughout. */
export interface CommandTarget {
  videoId: string
  currentTime(): number
  bufferedAhead(): number
  playing(): boolean
  source(): PresenceReport['source']
  play(): void
  pause(): void
  seek(seconds: number): void
  /** Open another video (next/prev/select/playlist.load), starting at a position. */
  open(videoId: string, positionSec: number, playing: boolean): void
}

/**
 * Applies one directive to the player. A 'sync' naming another video is ignored (a personal
 * room remembers the last video it was told about; opening a new one must not bounce back),
 * while explicit commands that name another video open it. A room with no video (a fresh
 * personal room) commands whatever this player shows; its sync on joining changes nothing.
 */
export function applyDirective(d: PlaybackDirective, target: CommandTarget, now = Date.now()): void {
  const playing = d.state.playing
  const elapsed = playing ? Math.max(0, now - d.at) * d.state.rate : 0
  const positionMs = d.positionMs + elapsed
  if (d.videoId && d.videoId !== target.videoId) {
    if (d.type !== 'sync') target.open(d.videoId, positionMs / 1000, playing)
    return
  }
  if (!d.videoId && d.type === 'sync') return
  const fix = driftCorrection(target.currentTime() * 1000, positionMs)
  if (fix !== null || d.type === 'seek') target.seek(positionMs / 1000)
  if (playing && !target.playing()) target.play()
  if (!playing && target.playing()) target.pause()
}

/** Joins this tab's personal room, applies its directives and reports presence. Returns the unbind function. */
export function bindCommands(target: CommandTarget): () => void {
  const { socket, release } = acquirePlayerSocket()
  const manager = new CommandsManager({ socket, clientId: tabClientId() })
  let roomId: string | null = null
  manager.onCommand((d) => applyDirective(d, target))
  const unexpose = expose('commands', {
    manager,
    get roomId() {
      return roomId
    },
  })
  manager.setPresenceProvider(() =>
    roomId
      ? {
          roomId,
          videoId: target.videoId,
          positionMs: Math.round(target.currentTime() * 1000),
          bufferedAheadMs: Math.round(target.bufferedAhead() * 1000),
          source: target.source(),
          playing: target.playing(),
        }
      : null,
  )
  let closed = false
  const join = () => {
    manager
      .joinPersonal()
      .then((state) => {
        roomId = state.id
      })
      .catch(() => {
        // No command layer on this server (yet), or not signed in: playback does not need it.
      })
  }
  if (socket.connected) join()
  else socket.once('connect', join)
  return () => {
    if (closed) return
    closed = true
    socket.off('connect', join)
    if (roomId) void manager.leave(roomId).catch(() => undefined)
    manager.close()
    unexpose()
    release()
  }
}

/** A pipeline event about a video as the web process forwards it to its uploader, normalised. */
export interface PipelineEvent {
  name: string
  /** The session event type (ProgressUpdate, SessionStored, TranscodeFailed, ...). */
  type?: string
  videoId?: string
  contentHash?: string
  sessionId?: string
  /** 0..1 */
  progress?: number
  state?: string
}

/** Listens for pipeline events on the shared socket; returns the unsubscribe function. */
export function onPipelineEvents(handler: (e: PipelineEvent) => void): () => void {
  const { socket, release } = acquirePlayerSocket()
  const listener = (name: string, data: unknown) => {
    if (!/^(session|transcode|video|pipeline)\./.test(name) || !data || typeof data !== 'object') return
    handler(normalisePipelineEvent(name, data as Record<string, unknown>))
  }
  socket.onAny(listener)
  return () => {
    socket.offAny(listener)
    release()
  }
}

/**
 * Accepts the bridge's `pipeline.event` ({ sessionId, contentHash, type, data: { percent, ... } })
 * and flatter shapes ({ progress } or { percent }) alike.
 */
export function normalisePipelineEvent(name: string, event: Record<string, unknown>): PipelineEvent {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  const inner = event.data && typeof event.data === 'object' ? (event.data as Record<string, unknown>) : {}
  const d = { ...inner, ...event }
  const raw = typeof d.progress === 'number' ? d.progress : typeof d.percent === 'number' ? d.percent / 100 : undefined
  return {
    name,
    type: str(event.type),
    videoId: str(d.videoId),
    contentHash: str(d.contentHash) ?? str(d.hash),
    sessionId: str(d.sessionId),
    progress: raw === undefined ? undefined : Math.min(1, Math.max(0, raw > 1 ? raw / 100 : raw)),
    state: str(d.state) ?? str(d.status),
  }
}
