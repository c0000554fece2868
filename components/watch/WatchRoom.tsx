'use client'

import dynamic from 'next/dynamic'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { expose } from '@/lib/player/debug'
import { acquirePlayerSocket } from '@/lib/player/realtime'
import { connectPlayerSocket } from '@/lib/realtime/connect'
import { type RoomCommand, sampleOf, type TogetherMedia, TogetherSession, type TogetherView } from '@/lib/player/together-session'
import type { VideoView } from '@/lib/videos/view'
import type { Player } from '../player/videojs-player'
import { MemberList } from './MemberList'
import { RoomControls } from './RoomControls'

const WatchPlayer = dynamic(() => import('./WatchPlayer'), { ssr: false, loading: () => <div className="absolute inset-0 animate-pulse bg-zinc-900" /> })

interface RoomInfo {
  id: string
  name: string
  ownerId: string
  mode: 'remote' | 'together'
  control: 'host' | 'everyone'
  joinUrl: string | null
}

type Problem = { detail?: string; title?: string }
interface GuestPass {
  roomId: string
  name: string
  guestToken: string
}
type Entry = { room: RoomInfo } | { guest: GuestPass } | { error: string } | { signIn: true }

/** The media element under video.js (the same as videojs-player's, without loading video.js here). */
const mediaElement = (p: Player) => p.tech(true).el() as HTMLVideoElement

/** Joins with the invite when there is one (else reads the room as a member): the room, a guest pass, or why not. */
async function enterRoom(roomId: string, invite: string | null): Promise<Entry> {
  const path = `/api/v1/rooms/${encodeURIComponent(roomId)}`
  const res = invite
    ? await fetch(`${path}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invite }) })
    : await fetch(path, { cache: 'no-store' })
  if (res.ok) {
    const body = (await res.json()) as RoomInfo | GuestPass
    return 'guestToken' in body ? { guest: body } : { room: body }
  }
  if (res.status === 401) return { signIn: true }
  const problem = (await res.json().catch(() => ({}))) as Problem
  if (res.status === 404) return { error: 'This room does not exist, or you need its invite link.' }
  return { error: problem.detail ?? problem.title ?? `The room could not be opened (${res.status}).` }
}

/** A guest's own socket (its pass in the handshake), or the page's shared signed-in one. */
function socketFor(entry: { room: RoomInfo } | { guest: GuestPass }) {
  if ('room' in entry) return acquirePlayerSocket()
  const socket = connectPlayerSocket(undefined, { auth: { guest: entry.guest.guestToken }, reconnectionDelayMax: 10_000 })
  return { socket, release: () => socket.disconnect() }
}

async function loadVideo(id: string): Promise<VideoView | null> {
  const res = await fetch(`/api/v1/videos/${encodeURIComponent(id)}`, { cache: 'no-store' })
  return res.ok ? ((await res.json()) as VideoView) : null
}

/** The watch-together page: the room's player kept on its timeline, the playlist, the members and, for those allowed, the controls. */
export function WatchRoom({ roomId, invite, me }: { roomId: string; invite: string | null; me: { userId: string; admin: boolean } | null }) {
  const [room, setRoom] = useState<RoomInfo | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [view, setView] = useState<TogetherView | null>(null)
  const [opening, setOpening] = useState<{ video: VideoView; startAtMs: number } | null>(null)
  const [missing, setMissing] = useState<string | null>(null)
  const [titles, setTitles] = useState<Record<string, string>>({})
  const [blocked, setBlocked] = useState(false)
  const [refused, setRefused] = useState<string | null>(null)
  const sessionRef = useRef<TogetherSession | null>(null)
  const bridge = useRef<{ videoId: string | null; player: Player | null }>({ videoId: null, player: null })

  const media = useMemo<TogetherMedia>(
    () => ({
      videoId: () => bridge.current.videoId,
      open: (id) => {
        bridge.current = { videoId: id, player: null }
        void loadVideo(id).then((video) => {
          if (bridge.current.videoId !== id) return
          if (!video) return setMissing(id)
          setMissing(null)
          setOpening({ video, startAtMs: sessionRef.current?.expectedMs() ?? 0 })
        })
      },
      sample: () => {
        const p = bridge.current.player
        return p ? sampleOf(mediaElement(p)) : null
      },
      seek: (ms) => bridge.current.player?.currentTime(ms / 1000),
      setRate: (rate) => {
        const p = bridge.current.player
        if (p) mediaElement(p).playbackRate = rate
      },
      play: () => {
        const p = bridge.current.player
        if (!p) return
        void Promise.resolve(p.play()).then(
          () => setBlocked(false),
          () => setBlocked(true),
        )
      },
      pause: () => bridge.current.player?.pause(),
    }),
    [],
  )

  const [guest, setGuest] = useState<GuestPass | null>(null)
  useEffect(() => {
    let release = () => {}
    let session: TogetherSession | null = null
    let unexpose = () => {}
    let cancelled = false
    void enterRoom(roomId, invite).then(async (entry) => {
      if (cancelled) return
      if ('signIn' in entry) {
        window.location.assign(`/signin?callbackUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`)
        return
      }
      if ('error' in entry) return setError(entry.error)
      if ('room' in entry && entry.room.mode !== 'together') return setError('This room is a remote-control room, not a watch-together room.')
      if ('room' in entry) setRoom(entry.room)
      else setGuest(entry.guest)
      // The invite has done its work: keep it out of the address bar (and of screenshots). A guest
      // keeps it: a reload is a new guest pass.
      if (invite && 'room' in entry) window.history.replaceState(null, '', `/watch/${encodeURIComponent(roomId)}`)
      const connection = socketFor(entry)
      release = connection.release
      session = new TogetherSession({ socket: connection.socket, roomId, media, onView: setView })
      sessionRef.current = session
      unexpose = expose('together', session)
      await session.join().catch((err: Error) => setError(err.message))
    })
    return () => {
      cancelled = true
      unexpose()
      session?.close()
      sessionRef.current = null
      release()
    }
  }, [roomId, invite, media])
  const myId = me?.userId ?? null

  const state = view?.state ?? null
  const videoIds = state?.videoIds ?? []
  useEffect(() => {
    const unknown = videoIds.filter((id) => !(id in titles))
    if (unknown.length === 0) return
    void Promise.all(unknown.slice(0, 50).map(async (id) => [id, (await loadVideo(id))?.title ?? 'Unavailable video'] as const)).then((pairs) =>
      setTitles((t) => ({ ...t, ...Object.fromEntries(pairs) })),
    )
  }, [videoIds, titles])

  const onReady = useCallback((p: Player | null) => {
    bridge.current.player = p
  }, [])

  const send = useCallback((command: RoomCommand) => {
    void sessionRef.current?.send(command).then((ack) => setRefused(ack.ok ? null : ack.error.message))
  }, [])
  const positionMs = useCallback(() => sessionRef.current?.expectedMs() ?? null, [])

  if (error) {
    return (
      <main className="mx-auto max-w-xl p-6" data-testid="watch-error">
        <h1 className="mb-2 text-lg font-semibold">Cannot join this room</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{error}</p>
      </main>
    )
  }

  const canControl = !!room && !!me && (room.ownerId === me.userId || me.admin || room.control === 'everyone')
  const index = state?.currentIndex ?? 0
  return (
    <main className="mx-auto grid max-w-6xl gap-4 p-3 sm:p-4 lg:grid-cols-[minmax(0,1fr)_20rem]" data-testid="watch-room">
      <div className="min-w-0 space-y-3">
        <div className="flex min-w-0 items-baseline justify-between gap-2">
          <h1 className="truncate text-lg font-semibold">{room?.name ?? state?.name ?? 'Joining…'}</h1>
          <span className={`shrink-0 text-xs ${view?.connected ? 'text-emerald-600' : 'text-amber-600'}`} data-testid="connection">
            {view?.connected ? 'connected' : 'reconnecting…'}
          </span>
        </div>
        <div className="relative aspect-video w-full overflow-hidden rounded-xl bg-black">
          {opening && <WatchPlayer key={opening.video.id} video={opening.video} startAtMs={opening.startAtMs} onReady={onReady} />}
          {!opening && (
            <p className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-zinc-400">
              {missing ? 'You cannot play the current video.' : state && videoIds.length === 0 ? 'Nothing loaded yet.' : 'Joining…'}
            </p>
          )}
          {blocked && (
            <button
              type="button"
              className="absolute inset-0 flex items-center justify-center bg-black/60 text-base font-semibold text-white"
              onClick={() => media.play()}
            >
              Click to join playback
            </button>
          )}
        </div>
        {canControl && state && (
          <RoomControls
            playing={state.playing}
            rate={state.rate}
            positionMs={positionMs}
            durationMs={opening?.video.durationMs ?? null}
            hasPrev={index > 0}
            hasNext={index + 1 < videoIds.length}
            send={send}
          />
        )}
        {refused && (
          <p className="text-sm text-rose-600" role="alert">
            {refused}
          </p>
        )}
        {room?.joinUrl && <InviteLink joinUrl={room.joinUrl} />}
      </div>
      <aside className="min-w-0 space-y-3">
        <MemberList members={view?.members ?? []} hold={view?.hold ?? null} me={myId ?? ''} />
        {guest && <p className="text-xs text-zinc-500">You watch as {guest.name}.</p>}
        <section aria-labelledby="playlist-title" className="rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="playlist-title" className="mb-2 text-sm font-semibold">
            Playlist
          </h2>
          <ol className="space-y-1 text-sm" data-testid="playlist">
            {videoIds.map((id, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a playlist may hold one video twice; the position is the identity
              <li key={i}>
                <button
                  type="button"
                  disabled={!canControl || i === index}
                  onClick={() => send({ type: 'select', index: i })}
                  className={`w-full truncate rounded px-2 py-1 text-left ${i === index ? 'bg-rose-100 font-medium dark:bg-rose-950' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}
                  aria-current={i === index ? 'true' : undefined}
                >
                  {i + 1}. {titles[id] ?? '…'}
                </button>
              </li>
            ))}
          </ol>
        </section>
      </aside>
    </main>
  )
}

function InviteLink({ joinUrl }: { joinUrl: string }) {
  const [copied, setCopied] = useState(false)
  const url = typeof window === 'undefined' ? joinUrl : new URL(joinUrl, window.location.origin).toString()
  return (
    <div className="flex min-w-0 items-center gap-2 text-sm">
      <span className="shrink-0 text-zinc-500">Invite:</span>
      <input
        readOnly
        value={url}
        aria-label="Invite link"
        className="min-w-0 flex-1 truncate rounded border border-zinc-300 bg-transparent px-2 py-1 text-xs dark:border-zinc-700"
      />
      <button
        type="button"
        className="shrink-0 rounded border border-zinc-300 px-2 py-1 text-xs dark:border-zinc-700"
        onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  )
}
