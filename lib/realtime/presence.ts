import type { Actor } from '@/lib/auth/actor'
import type { MemberReport, PlayerInfo, PresenceReport } from './protocol'

/** What the server keeps on each /player socket (socket.data), serialisable for fetchSockets across nodes. */
export interface PlayerSocketData {
  actor: Actor
  clientId: string | null
  personalRoomId: string | null
  rooms: string[]
  connectedAt: number
  presence: (PresenceReport & { receivedAt: number }) | null
  /** The together room this socket is a member of, as it last reported. */
  member?: (MemberReport & { name: string; receivedAt: number }) | null
  /** Shown to the other members: the user's name, else their email. */
  name?: string
}

export const playerInfo = (socketId: string, d: PlayerSocketData): PlayerInfo => ({
  socketId,
  userId: d.actor.userId,
  email: d.actor.email,
  clientId: d.clientId,
  personalRoomId: d.personalRoomId,
  rooms: d.rooms,
  connectedAt: d.connectedAt,
  presence: d.presence,
  member: d.member ?? null,
})

/**
 * Collects presence changes between flushes so admins get one `players.update` per interval,
 * whatever the number of players: presence never competes with commands for the event loop.
 */
export class PresenceBatch {
  private changed = new Map<string, PlayerInfo>()
  private removed = new Set<string>()

  update(info: PlayerInfo): void {
    this.removed.delete(info.socketId)
    this.changed.set(info.socketId, info)
  }

  remove(socketId: string): void {
    this.changed.delete(socketId)
    this.removed.add(socketId)
  }

  /** The pending changes, emptied. */
  take(): { players: PlayerInfo[]; socketIds: string[] } {
    const out = { players: [...this.changed.values()], socketIds: [...this.removed] }
    this.changed.clear()
    this.removed.clear()
    return out
  }
}
