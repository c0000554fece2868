'use client'

import type { PlayerInfo } from '@/lib/realtime/protocol'
import { formatDrift } from '../watch/MemberList'
import { Badge, Card, cx, formatAgo, Table, td } from './ui'

const STATE_BADGE: Record<string, string> = { playing: 'RUNNING', paused: 'QUEUED', buffering: 'STARTING', waiting: 'QUEUED' }

/** Watch-together rooms with their connected members, from the live players list (each member's last report). */
export function TogetherRooms({ players }: { players: PlayerInfo[] }) {
  const rooms = new Map<string, PlayerInfo[]>()
  for (const p of players) {
    const roomId = p.member?.roomId
    if (roomId) rooms.set(roomId, [...(rooms.get(roomId) ?? []), p])
  }
  if (rooms.size === 0) return null
  return (
    <div className="mt-5 space-y-4" data-testid="together-rooms">
      {[...rooms].map(([roomId, members]) => (
        <Card key={roomId} title={`Watch together · ${roomId}`}>
          <Table head={['Member', 'State', 'Position', 'Drift', 'RTT', 'Seq', 'Reported']}>
            {members.map((p) => {
              const m = p.member!
              return (
                <tr key={p.socketId} data-testid="together-member">
                  <td className={td}>
                    <div className="font-medium">{m.name}</div>
                    <div className="text-[11px] text-zinc-500">{p.email}</div>
                  </td>
                  <td className={td}>
                    <Badge value={STATE_BADGE[m.state] ?? 'QUEUED'} label={m.state} />
                  </td>
                  <td className={cx(td, 'tabular-nums')}>{(m.positionMs / 1000).toFixed(1)} s</td>
                  <td className={cx(td, 'font-mono text-xs tabular-nums')}>{formatDrift(m.driftMs)}</td>
                  <td className={cx(td, 'tabular-nums text-xs')}>{Math.round(m.rttMs)} ms</td>
                  <td className={cx(td, 'tabular-nums text-xs')}>{m.seq}</td>
                  <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(m.receivedAt)}</td>
                </tr>
              )
            })}
          </Table>
        </Card>
      ))}
    </div>
  )
}
