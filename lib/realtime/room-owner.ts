import pg from 'pg'
import type { Actor } from '@/lib/auth/actor'
import { databaseUrl } from '@/lib/config/env'
import { AppError, type ErrorCode } from '@/lib/errors'
import { log as rootLog } from '@/lib/log'
import { authorizeCommand, type CommandResult, prepareCommand } from '@/lib/rooms/apply-command'
import { isRoomMember, persistRoom, takeOverRoom } from '@/lib/rooms/owner-store'
import { ROOM_LOCK_CLASS } from '@/lib/rooms/state'
import { nextState } from '@/lib/rooms/transition'
import { errorAck } from './acks'
import type { Command, CommandEvent, ErrorBody, RoomState } from './protocol'

// The single writer of a room. The node that holds a room's advisory lock (one session of its
// own, so the lock goes with the node if it dies) keeps the room's state in memory: a command is
// authorised, given the next seq and broadcast from that state at once, and the row is written
// right after, one write in flight per room and the rest coalesced into the next. Every other node
// forwards its commands to the owner through the cluster, so one room's seqs come from one place.
//
// `leaseSeq` makes the writes safe without waiting on them: the owner reserves seqs in blocks and
// broadcasts only within its reservation, so a node that takes a room over after a crash knows
// which seqs may already be out there and continues past them; the reservation is also the fence
// that refuses the writes of an owner that lost its lock.

const log = rootLog.child({ c: 'room-owner' })

/** Seqs reserved per write of the lease; renewed when half is used, so commands do not wait for it. */
export const LEASE_BLOCK = 1000
/** A room nobody commanded this long is written back and released, so any node may take it. */
const IDLE_RELEASE_MS = 10 * 60_000
const FORWARD_ATTEMPTS = 6

interface OwnedRoom {
  state: RoomState
  ownerId: string
  personal: boolean
  mode: 'remote' | 'together'
  control: 'host' | 'everyone'
  guests: boolean
  /** Users seen to be members (a together room's members may command it when control is everyone). */
  members: Set<string>
  /** The lease the row carries, as last written by this node. */
  leaseSeq: number
  dirty: boolean
  writing: Promise<void> | null
  lastUsed: number
  /** Lost: deleted, or another node took it. Commands that still hold it start over. */
  gone: boolean
}

/** What the owner answers a forwarded request with; null from every node that does not own the room. */
export type OwnerAnswer<T> = { ok: true; value: T } | { ok: false; error: ErrorBody } | null

/** How nodes ask each other (the socket.io adapter's server-side events); absent for a node alone. */
export interface ClusterChannel {
  /** Asks every other node; resolves with their answers (missing ones after the adapter's timeout). */
  ask<T>(event: string, payload: unknown): Promise<OwnerAnswer<T>[]>
  serve<T>(event: string, handler: (payload: never) => Promise<OwnerAnswer<T>>): void
}

export interface RoomOwnerOptions {
  /** Sends a command event to the room's players on every node. */
  broadcast(roomId: string, event: CommandEvent): void
  /** Pushes a whole state to the room's players (after a takeover skipped seqs). */
  pushState(roomId: string, state: RoomState): void
  cluster?: ClusterChannel
  /** False: this node never owns rooms and forwards every command (a node with a realtime process beside it). */
  ownsRooms?: boolean
  databaseUrl?: string
}

interface ForwardedCommand {
  actor: Actor
  roomId: string
  command: Command
  /** Sent by a node that cannot own rooms: a node that can takes the room if nobody holds it. */
  claim: boolean
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class RoomOwner {
  private readonly rooms = new Map<string, OwnedRoom>()
  private readonly acquiring = new Map<string, Promise<OwnedRoom | null>>()
  private readonly releasing = new Map<string, Promise<void>>()
  private lockClient: Promise<pg.Client> | null = null
  private readonly sweep: ReturnType<typeof setInterval>
  private closed = false
  private readonly ownsRooms: boolean

  constructor(private readonly opts: RoomOwnerOptions) {
    this.ownsRooms = opts.ownsRooms ?? true
    this.sweep = setInterval(() => void this.releaseIdle(), 60_000)
    this.sweep.unref()
    opts.cluster?.serve<CommandResult>('room.command', (req: ForwardedCommand) => this.serveCommand(req))
    opts.cluster?.serve<RoomState>('room.read', (req: { roomId: string }) => this.serveRead(req.roomId))
  }

  /** Applies a command as the room's owner, or forwards it to the node that owns it. */
  async apply(actor: Actor, roomId: string, command: Command): Promise<CommandResult> {
    const prepared = await prepareCommand(actor, roomId, command)
    for (let attempt = 1; ; attempt++) {
      const room = this.ownsRooms ? await this.own(roomId) : null
      if (room) {
        const result = await this.applyOwned(room, actor, prepared.cmd, prepared.videoIds)
        if (result) return result
        continue // lost while waiting for its lease: take it again
      }
      const answer = await this.forward<CommandResult>('room.command', { actor, roomId, command, claim: !this.ownsRooms } satisfies ForwardedCommand)
      if (answer?.ok) return answer.value
      if (answer) throw new AppError(answer.error.code as ErrorCode, answer.error.message)
      // Nobody answered as owner: it released the room meanwhile, or is starting. Try again.
      if (attempt >= FORWARD_ATTEMPTS) throw new AppError('UNAVAILABLE', "The room's owner node did not answer; try again.")
      await sleep(25 * attempt)
    }
  }

  /** The state as the owner holds it; null when no node holds the room (its row is current then). */
  async read(roomId: string): Promise<RoomState | null> {
    const local = this.rooms.get(roomId) ?? (await this.acquiring.get(roomId)?.catch(() => null))
    if (local && !local.gone) return local.state
    if (!this.opts.cluster) return null
    const answer = await this.forward<RoomState>('room.read', { roomId })
    return answer?.ok ? answer.value : null
  }

  /** Rooms this node owns now (for tests and diagnostics). */
  ownedRooms(): string[] {
    return [...this.rooms.keys()]
  }

  /** Writes every room back, releases them and closes the lock session. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.sweep)
    await Promise.allSettled([...this.acquiring.values()])
    await Promise.allSettled([...this.rooms.values()].map((room) => this.release(room)))
    await Promise.allSettled([...this.releasing.values()])
    const client = await this.lockClient?.catch(() => null)
    this.lockClient = null
    await client?.end().catch(() => undefined)
  }

  /** Releases a room now, written back cleanly, as at shutdown (tests: a handoff between nodes). */
  async releaseRoom(roomId: string): Promise<void> {
    const room = this.rooms.get(roomId)
    if (room) await this.release(room)
  }

  private async applyOwned(room: OwnedRoom, actor: Actor, cmd: Command, videoIds: string[] | null): Promise<CommandResult | null> {
    await this.authorize(room, actor)
    // Only past the reservation does a command wait for a write (LEASE_BLOCK commands in one write's time).
    while (!room.gone && room.state.seq + 1 > room.leaseSeq) {
      this.persistSoon(room)
      await room.writing
    }
    if (room.gone) return null
    const now = Date.now()
    const state = nextState(room.state, cmd, now, videoIds)
    room.state = state
    room.lastUsed = now
    // The command goes out as sent (a playlistId stays a playlistId); the loaded ids are in state.videoIds.
    const event = { ...cmd, seq: state.seq, serverTime: Date.now(), state } as CommandEvent
    this.opts.broadcast(state.id, event)
    this.persistSoon(room)
    return { roomId: state.id, seq: state.seq, command: cmd, state, event }
  }

  /** The access rules on the facts the owner holds; a together room's membership is read once per member. */
  private async authorize(room: OwnedRoom, actor: Actor): Promise<void> {
    const facts = () => ({ ...room, id: room.state.id, members: room.members.has(actor.userId) ? [{ userId: actor.userId }] : [] })
    const mayNeedMembership = room.mode === 'together' && actor.via !== 'guest' && room.ownerId !== actor.userId && !room.members.has(actor.userId)
    if (mayNeedMembership && (await isRoomMember(room.state.id, actor.userId))) room.members.add(actor.userId)
    authorizeCommand(actor, facts())
  }

  /** This node's entry for the room, taking the room if no node holds it; null when another node does. */
  private async own(roomId: string): Promise<OwnedRoom | null> {
    for (;;) {
      if (this.closed) throw new AppError('UNAVAILABLE', 'This node is shutting down.')
      // A room being released takes no more commands here: they wait, then take it anew.
      const releasing = this.releasing.get(roomId)
      if (releasing) {
        await releasing
        continue
      }
      const have = this.rooms.get(roomId)
      if (have && !have.gone) return have
      let pending = this.acquiring.get(roomId)
      if (!pending) {
        pending = this.acquire(roomId).finally(() => this.acquiring.delete(roomId))
        this.acquiring.set(roomId, pending)
      }
      return pending
    }
  }

  private async acquire(roomId: string): Promise<OwnedRoom | null> {
    const client = await this.lock()
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok', [ROOM_LOCK_CLASS, roomId])
    if (!rows[0]?.ok) return null
    try {
      const taken = await takeOverRoom(roomId, LEASE_BLOCK)
      if (!taken) throw new AppError('NOT_FOUND', 'No such room.')
      const room: OwnedRoom = { ...taken, members: new Set(), dirty: false, writing: null, lastUsed: Date.now(), gone: false }
      this.rooms.set(roomId, room)
      if (taken.unclean) {
        // The last owner stopped without writing its last seqs: players may hold any of them. The
        // state they must take is the persisted one, under a seq past all of those.
        log.warn({ roomId, seq: taken.state.seq }, 'room taken over after an unclean stop')
        this.opts.pushState(roomId, room.state)
        this.persistSoon(room)
      }
      return room
    } catch (err) {
      await this.unlock(roomId)
      throw err
    }
  }

  /** The session that holds this node's room locks; if it breaks, every room is given up. */
  private lock(): Promise<pg.Client> {
    this.lockClient ??= (async () => {
      const client = new pg.Client({ connectionString: this.opts.databaseUrl ?? databaseUrl(), application_name: 'reelhouse-room-owner' })
      const lost = (err?: Error) => {
        if (this.closed) return
        log.warn({ err }, 'room lock session lost; giving up owned rooms')
        this.lockClient = null
        for (const room of this.rooms.values()) room.gone = true
        this.rooms.clear()
      }
      client.on('error', lost)
      client.on('end', () => lost())
      await client.connect()
      return client
    })().catch((err) => {
      this.lockClient = null
      throw new AppError('UNAVAILABLE', `Room locks are unavailable: ${err instanceof Error ? err.message : err}`)
    })
    return this.lockClient
  }

  private async unlock(roomId: string): Promise<void> {
    const client = await this.lockClient?.catch(() => null)
    await client
      ?.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [ROOM_LOCK_CLASS, roomId])
      .catch((err) => log.warn({ err, roomId }, 'unlock failed'))
  }

  /** Schedules the write-back; a write in flight takes the newest state when it is done. */
  private persistSoon(room: OwnedRoom): void {
    room.dirty = true
    room.writing ??= this.writeBack(room).finally(() => {
      room.writing = null
    })
  }

  private async writeBack(room: OwnedRoom, final = false): Promise<void> {
    // At release the row must end clean; a database that stays away for long is given up on
    // (the next owner then sees the lease and skips past it).
    for (let failures = 0; (room.dirty || final) && !room.gone && !(final && failures > 5); ) {
      room.dirty = false
      const state = room.state
      // A clean release leaves the lease at the seq: whoever takes the room next continues right after it.
      const lease = final ? state.seq : room.leaseSeq - state.seq < LEASE_BLOCK / 2 ? state.seq + LEASE_BLOCK : room.leaseSeq
      try {
        if (!(await persistRoom(state, room.leaseSeq, lease))) {
          log.warn({ roomId: state.id }, 'room deleted or taken by another node; dropping it')
          await this.drop(room)
          return
        }
        room.leaseSeq = lease
        if (final && !room.dirty) return
      } catch (err) {
        room.dirty = true
        log.warn({ err, roomId: state.id }, 'room write-back failed; retrying')
        await sleep(Math.min(2000, 50 * 2 ** failures++))
      }
    }
  }

  private drop(room: OwnedRoom): Promise<void> {
    room.gone = true
    if (this.rooms.get(room.state.id) === room) this.rooms.delete(room.state.id)
    return this.unlock(room.state.id)
  }

  private release(room: OwnedRoom): Promise<void> {
    const roomId = room.state.id
    const existing = this.releasing.get(roomId)
    if (existing) return existing
    const done = (async () => {
      await room.writing
      await this.writeBack(room, true)
      if (!room.gone) await this.drop(room)
    })().finally(() => this.releasing.delete(roomId))
    this.releasing.set(roomId, done)
    return done
  }

  private async releaseIdle(): Promise<void> {
    const before = Date.now() - IDLE_RELEASE_MS
    for (const room of this.rooms.values()) if (room.lastUsed < before && !room.writing) await this.release(room).catch(() => undefined)
  }

  private async forward<T>(event: string, payload: unknown): Promise<OwnerAnswer<T>> {
    if (!this.opts.cluster) return null
    const answers = await this.opts.cluster.ask<T>(event, payload)
    return answers.find((a) => a !== null && a !== undefined) ?? null
  }

  private async serveCommand(req: ForwardedCommand): Promise<OwnerAnswer<CommandResult>> {
    const roomId = req.roomId
    const held = this.rooms.get(roomId) ?? (await this.acquiring.get(roomId)?.catch(() => null))
    if ((!held || held.gone || this.releasing.has(roomId)) && !(req.claim && this.ownsRooms)) return null
    try {
      const room = await this.own(roomId)
      if (!room) return null
      const { cmd, videoIds } = await prepareCommand(req.actor, roomId, req.command)
      const result = await this.applyOwned(room, req.actor, cmd, videoIds)
      return result ? { ok: true, value: result } : null
    } catch (err) {
      return { ok: false, error: errorAck(err).error }
    }
  }

  private async serveRead(roomId: string): Promise<OwnerAnswer<RoomState>> {
    const room = this.rooms.get(roomId) ?? (await this.acquiring.get(roomId)?.catch(() => null))
    return room && !room.gone ? { ok: true, value: room.state } : null
  }
}
