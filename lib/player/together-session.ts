import type { Socket } from 'socket.io-client'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import { currentVideoId } from '@/lib/realtime/playback'
import {
  type Command,
  type CommandAck,
  EVENTS,
  type MemberState,
  type RoomHold,
  type RoomMember,
  type RoomMembersEvent,
  type RoomState,
} from '@/lib/realtime/protocol'
import { expectedPosition, type PlayerSample, type SyncDecision, SyncController, type SyncOptions, type Timeline } from './sync-controller'

// One member's side of a together room: joins it over the /player socket, follows the room's
// timeline with the SyncController a few times a second, and reports what its player does.
// Browser-safe; it drives the media through TogetherMedia and never waits on it.

/** A command as a member sends it: the session adds its room. */
export type RoomCommand = Command extends infer C ? (C extends Command ? Omit<C, 'roomId'> : never) : never

/** What the session needs from the page's player. Milliseconds throughout. */
export interface TogetherMedia {
  /** The video open now (or being opened), null before the first. */
  videoId(): string | null
  /** Open another video, starting at `positionMs`. */
  open(videoId: string, positionMs: number): void
  /** The player as it is now; null while it has no media yet. */
  sample(): PlayerSample | null
  seek(positionMs: number): void
  setRate(rate: number): void
  play(): void
  pause(): void
}

export interface TogetherView {
  state: RoomState | null
  members: RoomMember[]
  hold: RoomHold | null
  /** This member, as it reports itself. */
  self: { state: MemberState; driftMs: number; rttMs: number; mode: SyncDecision['mode'] | null; stalled?: boolean; locked?: boolean }
  connected: boolean
}

export interface TogetherSessionOptions {
  socket: Socket
  roomId: string
  media: TogetherMedia
  onView?: (view: TogetherView) => void
  /** Between two controller steps (ms). */
  stepMs?: number
  /** Between two reports while nothing changes (ms). */
  reportMs?: number
  /** Between two clock probes, which also measure the jitter (ms). */
  probeMs?: number
  sync?: Partial<SyncOptions>
}

const HAVE_FUTURE_DATA = 3
/** Buffering this soon after a seek or a command is their doing, not a stall (ms). */
const STALL_AFTER_SEEK_MS = 2000

/** The sample of an HTMLMediaElement, as the controller wants it. */
export function sampleOf(el: HTMLMediaElement): PlayerSample {
  return {
    positionMs: el.currentTime * 1000,
    paused: el.paused,
    seeking: el.seeking,
    buffering: el.readyState < HAVE_FUTURE_DATA && !el.ended,
    rate: el.playbackRate,
    durationMs: Number.isFinite(el.duration) && el.duration > 0 ? el.duration * 1000 : undefined,
  }
}

const timelineOf = (s: RoomState): Timeline => ({ positionMs: s.positionMs, serverTimeMs: s.updatedAt, playing: s.playing, rate: s.rate })

export class TogetherSession {
  readonly manager: CommandsManager
  readonly controller: SyncController
  private state: RoomState | null = null
  private members: RoomMember[] = []
  private hold: RoomHold | null = null
  private self: TogetherView['self'] = { state: 'waiting', driftMs: 0, rttMs: 0, mode: null }
  private lastReport = { at: 0, state: null as MemberState | null }
  /** The current buffering is the media starving mid-play (not a seek, a join or a new command). */
  private stalled = false
  private lastSeekAt = 0
  private lastDirectiveAt = 0
  private readonly timers: ReturnType<typeof setInterval>[] = []
  private closed = false
  /** Counters for measurements (the bench and the e2e tests read them). */
  readonly stats = { seeks: 0, rateChanges: 0, msOffRate: 0, steps: 0, stalls: 0 }

  constructor(private readonly opts: TogetherSessionOptions) {
    this.manager = new CommandsManager({ socket: opts.socket, presenceIntervalMs: 60_000 })
    this.controller = new SyncController(opts.sync)
    this.manager.onCommand(this.onDirective)
    opts.socket.on(EVENTS.roomMembers, this.onMembers)
    opts.socket.on('connect', this.onConnection)
    opts.socket.on('disconnect', this.onConnection)
    const stepMs = opts.stepMs ?? 100
    this.timers.push(setInterval(() => this.step(stepMs), stepMs))
    this.timers.push(setInterval(() => void this.manager.probeClock(1), opts.probeMs ?? 2000))
  }

  /** Joins the room (call once the caller is a member); rejoins after a reconnect are automatic. */
  async join(): Promise<RoomState> {
    const state = await this.manager.join(this.opts.roomId)
    void this.manager.probeClock(4)
    return state
  }

  /** Sends a command to the room (refused by the server unless this member may command). */
  send(command: RoomCommand): Promise<CommandAck> {
    return this.manager.send({ ...command, roomId: this.opts.roomId } as Command)
  }

  /** Where the room's timeline is now (ms), on this client's clock. */
  expectedMs(now = Date.now()): number | null {
    return this.state ? expectedPosition(timelineOf(this.state), now, this.manager.clock.offsetMs) : null
  }

  view(): TogetherView {
    return { state: this.state, members: this.members, hold: this.hold, self: this.self, connected: this.opts.socket.connected }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    this.opts.socket.off(EVENTS.roomMembers, this.onMembers)
    this.opts.socket.off('connect', this.onConnection)
    this.opts.socket.off('disconnect', this.onConnection)
    void this.manager.leave(this.opts.roomId).catch(() => undefined)
    this.manager.close()
  }

  private readonly onDirective = (d: PlaybackDirective) => {
    if (d.roomId !== this.opts.roomId) return
    this.state = d.state
    this.lastDirectiveAt = Date.now()
    const videoId = currentVideoId(d.state)
    const { media } = this.opts
    if (videoId && videoId !== media.videoId()) {
      this.controller.reset()
      media.open(videoId, this.expectedMs() ?? d.state.positionMs)
    }
    // Take the new timeline at once rather than at the next step: a pause should not wait 100 ms.
    this.step(0)
    this.emit()
  }

  private readonly onMembers = (e: RoomMembersEvent) => {
    if (e?.roomId !== this.opts.roomId) return
    this.members = e.members
    this.hold = e.hold
    this.emit()
  }

  private readonly onConnection = () => this.emit()

  private step(elapsedMs: number): void {
    if (this.closed || !this.state) return
    const { media } = this.opts
    const sample = currentVideoId(this.state) === media.videoId() ? media.sample() : null
    const clock = this.manager.clock
    const rttMs = Number.isFinite(clock.rttMs) ? clock.rttMs : 0
    if (!sample) {
      this.setSelf({ state: 'waiting', driftMs: 0, rttMs, mode: null })
      return
    }
    const now = Date.now()
    const wasLocked = this.controller.isLocked
    if (!sample.buffering) this.stalled = false
    else if (
      wasLocked &&
      this.state.playing &&
      !sample.seeking &&
      now - this.lastSeekAt > STALL_AFTER_SEEK_MS &&
      now - this.lastDirectiveAt > STALL_AFTER_SEEK_MS
    ) {
      if (!this.stalled) this.stats.stalls++
      this.stalled = true
    }
    const d = this.controller.step({ nowMs: now, timeline: timelineOf(this.state), offsetMs: clock.offsetMs, jitterMs: clock.jitterMs, player: sample })
    this.stats.steps++
    if (sample.rate !== this.state.rate) this.stats.msOffRate += elapsedMs
    if (d.seekToMs !== undefined) {
      this.stats.seeks++
      this.lastSeekAt = now
      media.seek(d.seekToMs)
    }
    if (d.rate !== undefined) {
      this.stats.rateChanges++
      media.setRate(d.rate)
    }
    if (d.play === true) media.play()
    if (d.play === false) media.pause()
    this.setSelf({ state: this.memberState(sample), driftMs: d.driftMs, rttMs, mode: d.mode, stalled: this.stalled, locked: wasLocked })
  }

  private memberState(p: PlayerSample): MemberState {
    const playing = this.state?.playing ?? false
    if (p.durationMs !== undefined && (this.expectedMs() ?? 0) >= p.durationMs - 100) return 'paused'
    if (p.buffering || p.seeking) return 'buffering'
    if (playing) return p.paused ? 'waiting' : 'playing'
    return this.hold ? 'waiting' : 'paused'
  }

  private setSelf(self: TogetherView['self']): void {
    const changed = self.state !== this.self.state
    this.self = self
    const now = Date.now()
    if (changed || now - this.lastReport.at >= (this.opts.reportMs ?? 1000)) this.report(now)
    if (changed) this.emit()
  }

  private report(now: number): void {
    if (!this.opts.socket.connected || !this.state) return
    this.lastReport = { at: now, state: this.self.state }
    const positionMs = Math.max(0, Math.round(this.opts.media.sample()?.positionMs ?? 0))
    this.opts.socket.emit(EVENTS.memberReport, {
      roomId: this.opts.roomId,
      state: this.self.state,
      positionMs,
      driftMs: Math.round(this.self.driftMs * 10) / 10,
      rttMs: Math.round(this.self.rttMs * 10) / 10,
      seq: this.state.seq,
      stall: this.self.state === 'buffering' && this.stalled,
    })
  }

  private emit(): void {
    this.opts.onView?.(this.view())
  }
}
