import type { Socket } from 'socket.io-client'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import { connectPlayerSocket, newClientId } from '@/lib/realtime/connect'
import { driftCorrection } from '@/lib/realtime/playback'
import type { PresenceReport } from '@/lib/realtime/protocol'
import { expose } from './debug'

// The player's link to the command layer (which comes before media), in one place: a /player socket
// shared by everything on the page (ref-counted, closed with its last user), the personal room
// each open player joins so an admin can address it, directives applied to the media, and the
// presence the player reports. Media code never waits on it and it never waits on media.

let shared: { socket: Socket; refs: number; closing: ReturnType<typeof setTimeout> | null } | null = null

/** How long the socket outlives its last user: the next player (another video in the modal) takes it over, so the connection and the admin's row stay. */
const RELEASE_GRACE_MS = 3000

/** The page's /player socket (signed-in users only); call release() when done. */
export function acquirePlayerSocket(): { socket: Socket; release: () => void } {
  if (!shared) shared = { socket: connectPlayerSocket(undefined, { reconnectionDelayMax: 10_000 }), refs: 0, closing: null }
  const entry = shared
  if (entry.closing) clearTimeout(entry.closing)
  entry.closing = null
  entry.refs++
  let released = false
  return {
    socket: entry.socket,
    release: () => {
      if (released) return
      released = true
      if (--entry.refs > 0) return
      entry.closing = setTimeout(() => {
        if (entry.refs > 0) return
        entry.socket.disconnect()
        if (shared === entry) shared = null
      }, RELEASE_GRACE_MS)
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

/** Commands that put the player at the room's position; the others (play, pause, sync) keep where the viewer is. */
const POSITIONING = new Set<PlaybackDirective['type']>(['seek', 'next', 'prev', 'select', 'playlist.load'])

/**
 * Applies one directive to a player bound to its personal room. The viewer moves through the
 * video on their own, so the room's position is stale: only commands that name a position (seek,
 * and the ones that open a video) move the player; play and pause keep its position. A 'sync'
 * naming another video is ignored (a personal room remembers the last video it was told about;
 * opening a new one must not bounce back), while explicit commands that name another video open
 * it. A room with no video (a fresh personal room) commands whatever this player shows.
 */
export function applyDirective(d: PlaybackDirective, target: CommandTarget, now = Date.now()): void {
  const playing = d.state.playing
  const elapsed = playing ? Math.max(0, now - d.at) * d.state.rate : 0
  const positionMs = d.positionMs + elapsed
  if (d.videoId && d.videoId !== target.videoId) {
    if (d.type !== 'sync') target.open(d.videoId, positionMs / 1000, playing)
    return
  }
  if (d.type === 'sync') return
  if (POSITIONING.has(d.type) && (d.type === 'seek' || driftCorrection(target.currentTime() * 1000, positionMs) !== null)) target.seek(positionMs / 1000)
  if (playing && !target.playing()) target.play()
  if (!playing && target.playing()) target.pause()
}

/** Long enough for play()/pause()/a seek to settle in the media element. */
const PRESENCE_AFTER_COMMAND_MS = 250

/** Joins this tab's personal room, applies its directives and reports presence. Returns the unbind function. */
export function bindCommands(target: CommandTarget): () => void {
  const { socket, release } = acquirePlayerSocket()
  const manager = new CommandsManager({ socket, clientId: tabClientId() })
  let roomId: string | null = null
  // The admin's table shows what the player reports: report as soon as a command has taken effect.
  let reportTimer: ReturnType<typeof setTimeout> | null = null
  const reportSoon = () => {
    if (reportTimer) clearTimeout(reportTimer)
    reportTimer = setTimeout(() => manager.reportPresence(), PRESENCE_AFTER_COMMAND_MS)
  }
  manager.onCommand((d) => {
    applyDirective(d, target)
    reportSoon()
  })
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
        manager.reportPresence()
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
    if (reportTimer) clearTimeout(reportTimer)
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
