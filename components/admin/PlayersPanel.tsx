'use client'

import { useCallback, useEffect, useState } from 'react'
import { type Command, type CommandAck, EVENTS, type PlayerInfo, type PlayersAck } from '@/lib/realtime/protocol'
import { api, useAdminSocket } from './live'
import { TogetherRooms } from './TogetherRooms'
import { Badge, Button, Card, cx, ErrorNote, formatAgo, inputClass, LiveDot, PageTitle, ProgressBar, Table, td } from './ui'

type CommandInput = { type: Command['type'] } & Record<string, unknown>

const fmtPos = (ms: number | null | undefined) => {
  if (ms === null || ms === undefined) return '—'
  const s = Math.floor(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** Players report every few seconds: a playing one has moved on since, by at most one report interval. */
const MAX_EXTRAPOLATION_MS = 5000
const positionNow = (p: NonNullable<PlayerInfo['presence']>, now: number) =>
  p.playing ? p.positionMs + Math.min(MAX_EXTRAPOLATION_MS, Math.max(0, now - p.receivedAt)) : p.positionMs

/** Re-renders every `ms`, for readouts that move between reports. */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}

// Drawn, not typed: ⏮/⏭ are missing from many system fonts.
const ICONS = {
  play: 'M6 4.5v11l9-5.5-9-5.5Z',
  pause: 'M5 4h3.5v12H5V4Zm6.5 0H15v12h-3.5V4Z',
  prev: 'M4 4h2v12H4V4Zm3 6 9-6v12l-9-6Z',
  next: 'M14 4h2v12h-2V4Zm-1 6-9 6V4l9 6Z',
} as const

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className="h-3.5 w-3.5 fill-current" data-icon={name}>
      <path d={ICONS[name]} />
    </svg>
  )
}

/**
 * Connected players (live over the /admin socket: `players.list`, `players.update`,
 * `players.remove`; REST polling while the socket is down) and remote control: any command to a
 * player's personal room or to a room it joined, acknowledged with the room's new `seq`.
 */
export function PlayersPanel() {
  const { socket, connected } = useAdminSocket()
  const [players, setPlayers] = useState<Map<string, PlayerInfo>>(new Map())
  const [target, setTarget] = useState<{ socketId: string; roomId: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<string | null>(null)
  const [seekS, setSeekS] = useState('0')
  const [index, setIndex] = useState('0')
  const [playlists, setPlaylists] = useState<{ id: string; name: string }[]>([])
  const [playlistId, setPlaylistId] = useState('')
  const [videoIds, setVideoIds] = useState('')
  const now = useNow(1000)

  const replaceAll = useCallback((list: PlayerInfo[]) => setPlayers(new Map(list.map((p) => [p.socketId, p]))), [])

  useEffect(() => {
    if (!socket) return
    const onList = (e: { players: PlayerInfo[] }) => replaceAll(e.players)
    const onUpdate = (e: { players: PlayerInfo[] }) =>
      setPlayers((m) => {
        const next = new Map(m)
        for (const p of e.players) next.set(p.socketId, p)
        return next
      })
    const onRemove = (e: { socketIds: string[] }) =>
      setPlayers((m) => {
        const next = new Map(m)
        for (const id of e.socketIds) next.delete(id)
        return next
      })
    socket.on(EVENTS.playersList, onList)
    socket.on(EVENTS.playersUpdate, onUpdate)
    socket.on(EVENTS.playersRemove, onRemove)
    const refresh = () => socket.emit(EVENTS.playersList, (ack: PlayersAck) => ack.ok && replaceAll(ack.players))
    if (socket.connected) refresh()
    socket.on('connect', refresh)
    return () => {
      socket.off(EVENTS.playersList, onList)
      socket.off(EVENTS.playersUpdate, onUpdate)
      socket.off(EVENTS.playersRemove, onRemove)
      socket.off('connect', refresh)
    }
  }, [socket, replaceAll])

  // Without the socket the list is polled over REST.
  useEffect(() => {
    if (connected) return
    const load = () =>
      api<{ items: PlayerInfo[] }>('/api/v1/admin/players')
        .then((r) => replaceAll(r.items))
        .catch((e: Error) => setError(e.message))
    void load()
    const t = setInterval(load, 2000)
    return () => clearInterval(t)
  }, [connected, replaceAll])

  useEffect(() => {
    api<{ items: { id: string; name: string }[] }>('/api/v1/playlists?all=true')
      .then((r) => setPlaylists(r.items))
      .catch(() => setPlaylists([]))
  }, [])

  const list = [...players.values()].sort((a, b) => a.connectedAt - b.connectedAt)
  const selected = target ? players.get(target.socketId) : undefined

  const send = (cmd: CommandInput) => {
    if (!target) return
    setError(null)
    setResult(null)
    const full = { ...cmd, roomId: target.roomId } as Command
    const sentAt = performance.now()
    const done = (ack: CommandAck) => {
      const rtt = Math.round(performance.now() - sentAt)
      if (ack.ok) setResult(`${cmd.type} applied as seq ${ack.seq} (${rtt} ms round trip)`)
      else setError(`${cmd.type}: ${ack.error.message}`)
    }
    if (socket?.connected) {
      socket.timeout(5000).emit(EVENTS.command, full, (err: Error | null, ack: CommandAck) => {
        if (err) setError(`${cmd.type}: no answer within 5 s`)
        else done(ack)
      })
    } else {
      const { roomId, ...body } = full as Command & Record<string, unknown>
      api<{ seq: number }>(`/api/v1/rooms/${encodeURIComponent(roomId)}/commands`, { method: 'POST', json: body })
        .then((r) => done({ ok: true, seq: r.seq, serverReceivedAt: 0, serverSentAt: 0 }))
        .catch((e: Error) => setError(`${cmd.type}: ${e.message}`))
    }
  }

  return (
    <div data-testid="admin-players">
      <PageTitle aside={<LiveDot connected={connected} />}>Players</PageTitle>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-[1fr_24rem]">
        <Table
          testId="players-table"
          head={['Player', 'Room', 'Video', 'Position', 'Buffered ahead', 'Source', 'Reported', '']}
          empty={
            list.length === 0 ? (
              <p className="p-6 text-center text-sm text-zinc-500">No player is connected. Open a video in another tab to see it here.</p>
            ) : null
          }
        >
          {list.map((p) => {
            const room = p.personalRoomId ?? p.presence?.roomId ?? p.rooms[0] ?? null
            const pr = p.presence
            const isTarget = target?.socketId === p.socketId
            return (
              <tr key={p.socketId} data-socket-id={p.socketId} className={cx(isTarget && 'bg-rose-50/60 dark:bg-rose-950/30')}>
                <td className={td}>
                  <div className="font-medium">{p.email}</div>
                  <div className="font-mono text-[11px] text-zinc-500">{p.clientId ?? p.socketId}</div>
                </td>
                <td className={cx(td, 'max-w-40 truncate font-mono text-[11px]')} title={p.rooms.join(', ')}>
                  {room ?? '—'}
                </td>
                <td className={cx(td, 'max-w-32 truncate font-mono text-[11px]')}>{pr?.videoId ?? '—'}</td>
                <td className={cx(td, 'tabular-nums')}>
                  <span data-testid="player-position">{pr ? fmtPos(positionNow(pr, now)) : '—'}</span>{' '}
                  {pr && <Badge value={pr.playing ? 'RUNNING' : 'QUEUED'} label={pr.playing ? 'playing' : 'paused'} />}
                </td>
                <td className={cx(td, 'w-40')}>
                  {pr ? (
                    <ProgressBar
                      value={Math.min(1, pr.bufferedAheadMs / 20_000)}
                      label={`${(pr.bufferedAheadMs / 1000).toFixed(1)} s buffered`}
                      tone={pr.playing && pr.bufferedAheadMs < 2000 ? 'red' : 'emerald'}
                    />
                  ) : (
                    '—'
                  )}
                </td>
                <td className={cx(td, 'text-xs')}>{pr?.source ?? '—'}</td>
                <td className={cx(td, 'text-xs text-zinc-500')}>{pr ? formatAgo(pr.receivedAt) : formatAgo(p.connectedAt)}</td>
                <td className={cx(td, 'text-right')}>
                  <Button disabled={!room} tone={isTarget ? 'primary' : 'default'} onClick={() => room && setTarget({ socketId: p.socketId, roomId: room })}>
                    {isTarget ? 'Controlling' : 'Control'}
                  </Button>
                </td>
              </tr>
            )
          })}
        </Table>

        <Card title="Remote control" testId="remote-control">
          {!target || !selected ? (
            <p className="text-sm text-zinc-500">Choose a player to control.</p>
          ) : (
            <div className="space-y-4">
              <label className="block text-xs text-zinc-500">
                Room
                <select
                  className={cx(inputClass, 'mt-1 w-full font-mono text-xs')}
                  value={target.roomId}
                  onChange={(e) => setTarget({ ...target, roomId: e.target.value })}
                >
                  {[...new Set([selected.personalRoomId, ...selected.rooms].filter((r): r is string => !!r))].map((r) => (
                    <option key={r} value={r}>
                      {r === selected.personalRoomId ? `personal: ${r}` : r}
                    </option>
                  ))}
                </select>
              </label>
              <div className="flex flex-wrap gap-2">
                <Button tone="primary" onClick={() => send({ type: 'play' })}>
                  <Icon name="play" /> Play
                </Button>
                <Button onClick={() => send({ type: 'pause' })}>
                  <Icon name="pause" /> Pause
                </Button>
                <Button onClick={() => send({ type: 'prev' })}>
                  <Icon name="prev" /> Prev
                </Button>
                <Button onClick={() => send({ type: 'next' })}>
                  Next <Icon name="next" />
                </Button>
              </div>
              <form
                className="flex items-end gap-2"
                onSubmit={(e) => {
                  e.preventDefault()
                  send({ type: 'seek', positionMs: Math.max(0, Math.round(Number(seekS) * 1000)) })
                }}
              >
                <label className="text-xs text-zinc-500">
                  Seek to (s)
                  <input
                    className={cx(inputClass, 'mt-1 block w-24')}
                    type="number"
                    min={0}
                    step="0.1"
                    value={seekS}
                    onChange={(e) => setSeekS(e.target.value)}
                  />
                </label>
                <Button type="submit">Seek</Button>
              </form>
              <form
                className="flex items-end gap-2"
                onSubmit={(e) => {
                  e.preventDefault()
                  send({ type: 'select', index: Math.max(0, Math.floor(Number(index))) })
                }}
              >
                <label className="text-xs text-zinc-500">
                  Playlist index
                  <input className={cx(inputClass, 'mt-1 block w-24')} type="number" min={0} value={index} onChange={(e) => setIndex(e.target.value)} />
                </label>
                <Button type="submit">Select</Button>
              </form>
              <form
                className="space-y-2"
                onSubmit={(e) => {
                  e.preventDefault()
                  const ids = videoIds.split(/[\s,]+/).filter(Boolean)
                  if (playlistId) send({ type: 'playlist.load', playlistId })
                  else if (ids.length) send({ type: 'playlist.load', videoIds: ids })
                }}
              >
                <label className="block text-xs text-zinc-500">
                  Load a playlist
                  <select className={cx(inputClass, 'mt-1 w-full')} value={playlistId} onChange={(e) => setPlaylistId(e.target.value)}>
                    <option value="">— or video ids below —</option>
                    {playlists.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </label>
                {!playlistId && (
                  <input
                    className={cx(inputClass, 'w-full font-mono text-xs')}
                    placeholder="video ids, comma-separated"
                    value={videoIds}
                    onChange={(e) => setVideoIds(e.target.value)}
                  />
                )}
                <Button type="submit" disabled={!playlistId && !videoIds.trim()}>
                  Load
                </Button>
              </form>
              <ErrorNote error={error} />
              {result && (
                <p className="text-xs text-emerald-700 dark:text-emerald-400" data-testid="command-result">
                  {result}
                </p>
              )}
            </div>
          )}
        </Card>
      </div>
      <TogetherRooms players={list} />
    </div>
  )
}
