import type { Actor } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { log as rootLog } from '@/lib/log'
import type { NodeRooms, PlayerNamespace, PlayerSocket } from './namespaces'
import { roomKey } from './player-namespace'
import { EVENTS, type MemberReport, type PlayerInfo, type RoomHold, type RoomMember, type RoomMembersEvent } from './protocol'

// Together rooms on the realtime node: members' reports, the room's member list pushed to its
// players, and the bounded wait for a member that stalls. A member that was playing and reports
// buffering pauses the room (a real `pause`, so every player takes the same frame) for at most the
// room's waitMs (a seek or a video still loading is not a stall: the member says which); it resumes when the member is ready or when the wait runs out, whichever comes
// first. A member whose wait ran out cannot make the room wait again until it has played in step
// again (it catches up by seeking ahead), and one that never played cannot make it wait at all, so
// nobody blocks the others for longer than waitMs.

const log = rootLog.child({ c: 'together' })

export interface TogetherRoomInfo {
  ownerId: string
  waitMs: number
}

interface Hold extends RoomHold {
  socketId: string
  /** The seq of our pause (-1 while it is being applied): a command after it means someone else took over, so we do not resume. */
  seq: number
  timer: ReturnType<typeof setTimeout>
  /** A release that came while the pause was still being applied; carried out right after it. */
  releaseAsked: 'ready' | 'timeout' | 'left' | null
}

/** Back in step: a member that was let go may make the room wait again. */
const IN_STEP_MS = 500
/** Drift readouts go out at most this often per room; state changes at once. */
const BROADCAST_EVERY_MS = 1000

/** The members of one room from the player sockets in it: one row per user, their freshest report. */
export function membersOf(roomId: string, players: PlayerInfo[]): RoomMember[] {
  const byUser = new Map<string, RoomMember>()
  for (const p of players) {
    if (!p.rooms.includes(roomId)) continue
    const m = p.member?.roomId === roomId ? p.member : null
    const row: RoomMember = {
      userId: p.userId,
      name: m?.name ?? p.email,
      state: m?.state ?? 'waiting',
      positionMs: m?.positionMs ?? 0,
      driftMs: m?.driftMs ?? 0,
      rttMs: m?.rttMs ?? 0,
      seq: m?.seq ?? 0,
      reportedAt: m?.receivedAt ?? null,
    }
    const seen = byUser.get(p.userId)
    if (!seen || (row.reportedAt ?? 0) > (seen.reportedAt ?? 0)) byUser.set(p.userId, row)
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** What other members see of a user: their name, else the part of their email before the @. */
export async function memberName(actor: Actor): Promise<string> {
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { name: true } })
  return user?.name?.trim() || actor.email.split('@')[0] || actor.email
}

/** The room's owner as the actor of the pause and play a wait issues. */
const ownerActor = (ownerId: string): Actor => ({ userId: ownerId, email: '', role: 'USER', via: 'session', scopes: ['read', 'write'] })

export class TogetherRooms {
  private readonly rooms = new Map<string, TogetherRoomInfo>()
  private readonly holds = new Map<string, Hold>()
  /** Per room: sockets whose wait ran out, until they are back in step. */
  private readonly letGo = new Map<string, Set<string>>()
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>()

  constructor(
    private readonly players: PlayerNamespace,
    /** The node's rooms: commands go through the room's owner node, which broadcasts them. */
    private readonly roomOps: NodeRooms,
  ) {}

  /** The room's playback as its owner node holds it (the row follows it by a write). */
  private async playback(roomId: string): Promise<{ playing: boolean; seq: number } | null> {
    return (await this.roomOps.roomState(roomId)) ?? (await db.room.findUnique({ where: { id: roomId }, select: { playing: true, seq: true } }))
  }

  /** A socket joined a together room. */
  joined(roomId: string, info: TogetherRoomInfo): void {
    this.rooms.set(roomId, info)
    this.broadcastSoon(roomId)
  }

  /** A socket left the room (leave or disconnect). */
  left(socket: PlayerSocket, roomId: string): void {
    this.letGo.get(roomId)?.delete(socket.id)
    const hold = this.holds.get(roomId)
    if (hold?.socketId === socket.id) void this.release(roomId, 'left')
    this.broadcastSoon(roomId)
  }

  isTogether(roomId: string): boolean {
    return this.rooms.has(roomId)
  }

  hold(roomId: string): RoomHold | null {
    const h = this.holds.get(roomId)
    return h ? { userId: h.userId, name: h.name, until: h.until } : null
  }

  report(socket: PlayerSocket, report: MemberReport): void {
    const { roomId } = report
    const info = this.rooms.get(roomId)
    if (!info) return
    const data = socket.data
    const before = data.member?.roomId === roomId ? data.member.state : null
    data.member = { ...report, name: data.name ?? data.actor.email, receivedAt: Date.now() }
    const letGo = this.letGo.get(roomId)
    if (report.state === 'playing' && Math.abs(report.driftMs) < IN_STEP_MS) letGo?.delete(socket.id)
    const hold = this.holds.get(roomId)
    if (hold?.socketId === socket.id && report.state !== 'buffering') void this.release(roomId, 'ready')
    else if (!hold && report.state === 'buffering' && report.stall && before === 'playing' && !letGo?.has(socket.id) && info.waitMs > 0) {
      void this.startHold(socket, roomId, info)
    }
    this.broadcastSoon(roomId, report.state !== before)
  }

  close(): void {
    for (const h of this.holds.values()) clearTimeout(h.timer)
    for (const t of this.pending.values()) clearTimeout(t)
    this.holds.clear()
    this.pending.clear()
  }

  private async startHold(socket: PlayerSocket, roomId: string, info: TogetherRoomInfo): Promise<void> {
    const placeholder = { socketId: socket.id, userId: socket.data.actor.userId, name: socket.data.name ?? socket.data.actor.email, until: 0, seq: -1 }
    // Claimed before the await so a second stalled member does not pause the room twice.
    const timer = setTimeout(() => void this.release(roomId, 'timeout'), info.waitMs)
    const hold: Hold = { ...placeholder, until: Date.now() + info.waitMs, timer, releaseAsked: null }
    this.holds.set(roomId, hold)
    try {
      const room = await this.playback(roomId)
      if (!room?.playing) throw new Error('the room is not playing')
      const result = await this.roomOps.applyCommand(ownerActor(info.ownerId), roomId, { type: 'pause', roomId })
      hold.seq = result.seq
    } catch (err) {
      log.debug({ err, roomId }, 'no wait for a stalled member')
      clearTimeout(timer)
      if (this.holds.get(roomId) === hold) this.holds.delete(roomId)
    }
    // The wait ran out (or the member got ready or left) while the pause was on its way.
    if (hold.releaseAsked && this.holds.get(roomId) === hold) await this.release(roomId, hold.releaseAsked)
    this.broadcastSoon(roomId, true)
  }

  private async release(roomId: string, why: 'ready' | 'timeout' | 'left'): Promise<void> {
    const hold = this.holds.get(roomId)
    if (!hold) return
    if (hold.seq < 0) {
      hold.releaseAsked ??= why
      return
    }
    this.holds.delete(roomId)
    clearTimeout(hold.timer)
    if (why === 'timeout') {
      const set = this.letGo.get(roomId) ?? new Set<string>()
      set.add(hold.socketId)
      this.letGo.set(roomId, set)
    }
    const info = this.rooms.get(roomId)
    try {
      // Resume only what the wait paused: after anyone's command since, the room is theirs.
      const room = await this.playback(roomId)
      if (info && room?.seq === hold.seq) await this.roomOps.applyCommand(ownerActor(info.ownerId), roomId, { type: 'play', roomId })
    } catch (err) {
      log.warn({ err, roomId }, 'could not resume the room after a wait')
    }
    this.broadcastSoon(roomId, true)
  }

  private broadcastSoon(roomId: string, now = false): void {
    if (this.pending.has(roomId) && !now) return
    const existing = this.pending.get(roomId)
    if (existing) clearTimeout(existing)
    this.pending.set(
      roomId,
      setTimeout(
        () => {
          this.pending.delete(roomId)
          void this.broadcast(roomId)
        },
        now ? 0 : BROADCAST_EVERY_MS,
      ),
    )
  }

  private async broadcast(roomId: string): Promise<void> {
    try {
      const sockets = await this.players.in(roomKey(roomId)).fetchSockets()
      const infos = sockets.map((s) => ({
        socketId: s.id,
        userId: s.data.actor.userId,
        email: s.data.actor.email,
        rooms: s.data.rooms,
        member: s.data.member ?? null,
      })) as PlayerInfo[]
      const event: RoomMembersEvent = { roomId, members: membersOf(roomId, infos), hold: this.hold(roomId) }
      this.players.to(roomKey(roomId)).emit(EVENTS.roomMembers, event)
      if (sockets.length === 0) this.forget(roomId)
    } catch (err) {
      log.warn({ err, roomId }, 'member list failed')
    }
  }

  private forget(roomId: string): void {
    if (this.holds.has(roomId)) return
    this.rooms.delete(roomId)
    this.letGo.delete(roomId)
  }
}
