import type { Socket } from 'socket.io-client'
import { ClockOffsetEstimator } from './clock'
import { currentVideoId, expectedPositionMs } from './playback'
import {
  type ClockPong,
  type Command,
  type CommandAck,
  type CommandEvent,
  type CommandType,
  EVENTS,
  type PresenceReport,
  type RoomAck,
  type RoomState,
  type RoomStateEvent,
} from './protocol'
import { Sequencer, type SequencerAction } from './sequencer'

// The browser side of the command layer: wraps the /player socket, joins rooms, orders their
// commands with a Sequencer, keeps a clock offset and reports presence. It knows nothing about
// media: the player binds onCommand() and gets directives that already carry the position to be
// at, so players of one room converge on the same point. Browser-safe (no Node imports).

/** What the player should do, in seq order per room. */
export interface PlaybackDirective {
  roomId: string
  /** The command, or 'sync' when the player should take the whole state (join, gap, reconnect, push). */
  type: CommandType | 'sync'
  seq: number
  state: RoomState
  /** The command event; null for a sync. */
  event: CommandEvent | null
  videoId: string | null
  /** Where playback should be now on this client's clock (clock-offset corrected). */
  positionMs: number
  /** Client epoch ms the directive was computed at: add (now - at) * rate when applying later. */
  at: number
}
export type DirectiveHandler = (d: PlaybackDirective) => void

export interface CommandsManagerOptions {
  /** A socket.io-client socket for the /player namespace (see connectPlayerSocket). */
  socket: Socket
  /** This browser session's id (kept in sessionStorage by the caller); needed for joinPersonal(). */
  clientId?: string
  presenceIntervalMs?: number
  gapTimeoutMs?: number
  ackTimeoutMs?: number
  /** Between clock probes once the first burst is done. */
  clockProbeIntervalMs?: number
  now?: () => number
}

const MAX_EARLY = 256

interface RoomEntry {
  sequencer: Sequencer
  personal: boolean
  state: RoomState | null
  timer: ReturnType<typeof setTimeout> | null
}

export class CommandsManager {
  readonly socket: Socket
  readonly clock = new ClockOffsetEstimator()
  private readonly rooms = new Map<string, RoomEntry>()
  private readonly handlers = new Set<DirectiveHandler>()
  private presenceProvider: (() => PresenceReport | PresenceReport[] | null) | null = null
  private readonly timers: ReturnType<typeof setInterval>[] = []
  private connectedBefore = false
  /** Joins awaiting their ack, and the events that arrived for rooms not joined yet meanwhile. */
  private joining = 0
  private readonly early = new Map<string, CommandEvent[]>()
  private closed = false
  private readonly opts: Required<Omit<CommandsManagerOptions, 'socket' | 'clientId'>> & { clientId?: string }

  constructor(options: CommandsManagerOptions) {
    this.socket = options.socket
    this.opts = {
      clientId: options.clientId,
      presenceIntervalMs: options.presenceIntervalMs ?? 3000,
      gapTimeoutMs: options.gapTimeoutMs ?? 500,
      ackTimeoutMs: options.ackTimeoutMs ?? 5000,
      clockProbeIntervalMs: options.clockProbeIntervalMs ?? 15_000,
      now: options.now ?? (() => Date.now()),
    }
    this.socket.on(EVENTS.commandEvent, this.onEvent)
    this.socket.on(EVENTS.roomState, this.onRoomState)
    this.socket.on('connect', this.onConnect)
    if (this.socket.connected) this.onConnect()
    this.timers.push(setInterval(() => this.sendPresence(), this.opts.presenceIntervalMs))
    this.timers.push(setInterval(() => void this.probeClock(1), this.opts.clockProbeIntervalMs))
  }

  /** Binds the player; returns the unbind function. */
  onCommand(handler: DirectiveHandler): () => void {
    this.handlers.add(handler)
    return () => this.handlers.delete(handler)
  }

  /** Joins a room and hands its state to the player as a 'sync' directive. */
  async join(roomId: string): Promise<RoomState> {
    return this.enter(roomId, false)
  }

  /** Joins this session's personal room (created on first use), which admins address to reach this player alone. */
  async joinPersonal(): Promise<RoomState> {
    if (!this.opts.clientId) throw new Error('joinPersonal needs a clientId')
    return this.enter(null, true)
  }

  async leave(roomId: string): Promise<void> {
    this.drop(roomId)
    if (this.socket.connected) await this.request(EVENTS.roomLeave, { roomId }).catch(() => undefined)
  }

  /** Sends a command (for rooms this user owns, or any room for admins). */
  async send(command: Command): Promise<CommandAck> {
    return this.request<CommandAck>(EVENTS.command, command)
  }

  /** The last state of a joined room. */
  state(roomId: string): RoomState | null {
    return this.rooms.get(roomId)?.state ?? null
  }

  /** Where a joined room's playback should be now, on this client's clock. */
  expectedPositionMs(roomId: string): number | null {
    const state = this.state(roomId)
    return state ? expectedPositionMs(state, this.opts.now(), this.clock.offsetMs) : null
  }

  /** Called every presenceIntervalMs; return what the mounted players are doing. */
  setPresenceProvider(provider: (() => PresenceReport | PresenceReport[] | null) | null): void {
    this.presenceProvider = provider
  }

  /** Sends `count` clock probes one after another; the min-RTT sample wins. */
  async probeClock(count = 4): Promise<void> {
    for (let i = 0; i < count && this.socket.connected && !this.closed; i++) {
      const t0 = this.opts.now()
      const pong = await this.request<ClockPong>(EVENTS.clockPing, { t0 }).catch(() => null)
      if (pong && pong.t0 === t0) this.clock.add({ t0, t1: pong.t1, t2: pong.t2, t3: this.opts.now() })
    }
  }

  close(): void {
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    for (const roomId of [...this.rooms.keys()]) this.drop(roomId)
    this.socket.off(EVENTS.commandEvent, this.onEvent)
    this.socket.off(EVENTS.roomState, this.onRoomState)
    this.socket.off('connect', this.onConnect)
    this.handlers.clear()
  }

  private async enter(roomId: string | null, personal: boolean): Promise<RoomState> {
    this.joining++
    try {
      const ack = personal
        ? await this.request<RoomAck>(EVENTS.roomPersonal, { clientId: this.opts.clientId })
        : await this.request<RoomAck>(EVENTS.roomJoin, { roomId })
      if (!ack.ok) throw Object.assign(new Error(ack.error.message), { code: ack.error.code })
      const id = ack.state.id
      let entry = this.rooms.get(id)
      if (!entry) {
        entry = { sequencer: new Sequencer({ gapTimeoutMs: this.opts.gapTimeoutMs }), personal, state: null, timer: null }
        this.rooms.set(id, entry)
      }
      entry.personal ||= personal
      const now = this.opts.now()
      const actions = entry.sequencer.reset(ack.state, now)
      // Events the server sent between joining us to the room and acking the join.
      for (const event of this.early.get(id) ?? []) actions.push(...entry.sequencer.receive(event, now))
      this.early.delete(id)
      this.run(id, entry, actions)
      return ack.state
    } finally {
      if (--this.joining === 0) this.early.clear()
    }
  }

  private drop(roomId: string): void {
    const entry = this.rooms.get(roomId)
    if (entry?.timer) clearTimeout(entry.timer)
    this.rooms.delete(roomId)
  }

  private request<T>(event: string, payload: unknown): Promise<T> {
    return this.socket.timeout(this.opts.ackTimeoutMs).emitWithAck(event, payload) as Promise<T>
  }

  private readonly onEvent = (event: CommandEvent) => {
    if (!event || typeof event.roomId !== 'string' || typeof event.seq !== 'number') return
    const entry = this.rooms.get(event.roomId)
    if (entry) return this.run(event.roomId, entry, entry.sequencer.receive(event, this.opts.now()))
    // A join in flight: the room's first events can overtake its ack.
    if (this.joining > 0) {
      const list = this.early.get(event.roomId) ?? []
      if (list.length < MAX_EARLY) list.push(event)
      this.early.set(event.roomId, list)
    }
  }

  private readonly onRoomState = (msg: RoomStateEvent) => {
    const entry = msg?.state ? this.rooms.get(msg.roomId) : undefined
    if (!entry) return
    // Same seq: playback did not move (a rename); keep the fresh fields without a directive.
    if (msg.state.seq === entry.sequencer.seq) entry.state = msg.state
    else this.run(msg.roomId, entry, entry.sequencer.reset(msg.state, this.opts.now()))
  }

  private readonly onConnect = () => {
    void this.probeClock(4)
    if (!this.connectedBefore) {
      this.connectedBefore = true
      return
    }
    // A new connection has no room memberships and may have missed events: join again, which
    // also returns the state to jump to.
    for (const [roomId, entry] of this.rooms) {
      entry.sequencer.reconnected()
      void this.rejoin(roomId, entry)
    }
  }

  private async rejoin(roomId: string, entry: RoomEntry): Promise<void> {
    try {
      const ack = entry.personal
        ? await this.request<RoomAck>(EVENTS.roomPersonal, { clientId: this.opts.clientId })
        : await this.request<RoomAck>(EVENTS.roomJoin, { roomId })
      if (this.rooms.get(roomId) !== entry) return
      if (!ack.ok) {
        this.drop(roomId)
        return
      }
      this.run(roomId, entry, entry.sequencer.reset(ack.state, this.opts.now()))
    } catch {
      entry.sequencer.syncFailed(this.opts.now())
      this.schedule(roomId, entry)
    }
  }

  private async sync(roomId: string, entry: RoomEntry): Promise<void> {
    try {
      const ack = await this.request<RoomAck>(EVENTS.roomSync, { roomId })
      if (this.rooms.get(roomId) !== entry) return
      if (!ack.ok) throw new Error(ack.error.message)
      this.run(roomId, entry, entry.sequencer.reset(ack.state, this.opts.now()))
    } catch {
      if (this.rooms.get(roomId) !== entry) return
      entry.sequencer.syncFailed(this.opts.now())
      this.schedule(roomId, entry)
    }
  }

  /** Carries out a sequencer's actions, then re-arms its gap timer. */
  private run(roomId: string, entry: RoomEntry, actions: SequencerAction[]): void {
    for (const action of actions) {
      if (action.kind === 'sync') {
        void this.sync(roomId, entry)
      } else if (action.kind === 'jump') {
        entry.state = action.state
        this.dispatch(roomId, 'sync', action.state, null)
      } else {
        entry.state = action.event.state
        this.dispatch(roomId, action.event.type, action.event.state, action.event)
      }
    }
    this.schedule(roomId, entry)
  }

  private schedule(roomId: string, entry: RoomEntry): void {
    if (entry.timer) clearTimeout(entry.timer)
    entry.timer = null
    const deadline = entry.sequencer.nextDeadline()
    if (deadline === null || this.closed) return
    entry.timer = setTimeout(
      () => {
        entry.timer = null
        if (this.rooms.get(roomId) === entry) this.run(roomId, entry, entry.sequencer.tick(this.opts.now()))
      },
      Math.max(0, deadline - this.opts.now()),
    )
  }

  private dispatch(roomId: string, type: PlaybackDirective['type'], state: RoomState, event: CommandEvent | null): void {
    const at = this.opts.now()
    const directive: PlaybackDirective = {
      roomId,
      type,
      seq: state.seq,
      state,
      event,
      videoId: currentVideoId(state),
      positionMs: expectedPositionMs(state, at, this.clock.offsetMs),
      at,
    }
    for (const handler of this.handlers) {
      try {
        handler(directive)
      } catch (err) {
        // A faulty player must not stop the others or the sequencing.
        console.error('[CommandsManager] handler failed', err)
      }
    }
  }

  /** Reports presence now (after a command took effect), besides the regular interval. */
  reportPresence(): void {
    this.sendPresence()
  }

  private sendPresence(): void {
    if (!this.presenceProvider || !this.socket.connected) return
    let reports: PresenceReport | PresenceReport[] | null
    try {
      reports = this.presenceProvider()
    } catch {
      return
    }
    if (!reports) return
    for (const report of Array.isArray(reports) ? reports : [reports]) {
      // Volatile: a report that cannot go out now is worth nothing later.
      this.socket.volatile.emit(EVENTS.presence, report)
    }
  }
}
