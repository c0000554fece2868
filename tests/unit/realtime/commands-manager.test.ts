import type { Socket } from 'socket.io-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import type { RoomAck } from '@/lib/realtime/protocol'
import { event, state } from './fixtures'

/** Just enough of a socket.io-client socket: the test plays the server. */
class FakeSocket {
  connected = true
  private listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  /** Requests the manager made, answered by `respond`. */
  requests: { event: string; payload: unknown; resolve: (v: unknown) => void }[] = []
  presence: unknown[] = []
  respond: (event: string, payload: unknown) => unknown = () => undefined

  on(ev: string, fn: (...args: unknown[]) => void) {
    if (!this.listeners.has(ev)) this.listeners.set(ev, new Set())
    this.listeners.get(ev)!.add(fn)
    return this
  }
  off(ev: string, fn: (...args: unknown[]) => void) {
    this.listeners.get(ev)?.delete(fn)
    return this
  }
  timeout() {
    return {
      emitWithAck: (ev: string, payload: unknown) =>
        new Promise((resolve) => {
          const answer = this.respond(ev, payload)
          if (answer !== undefined) resolve(answer)
          else this.requests.push({ event: ev, payload, resolve })
        }),
    }
  }
  get volatile() {
    return { emit: (_ev: string, payload: unknown) => this.presence.push(payload) }
  }
  /** The server sends an event. */
  serverEmit(ev: string, payload: unknown) {
    for (const fn of this.listeners.get(ev) ?? []) fn(payload)
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('CommandsManager', () => {
  let manager: CommandsManager | undefined
  afterEach(() => {
    manager?.close()
    vi.useRealTimers()
  })

  const setup = (respond: FakeSocket['respond']) => {
    const socket = new FakeSocket()
    socket.respond = (ev, payload) => (ev === 'clock.ping' ? { t0: (payload as { t0: number }).t0, t1: 0, t2: 0 } : respond(ev, payload))
    manager = new CommandsManager({ socket: socket as unknown as Socket, clientId: 'client-0001', gapTimeoutMs: 50 })
    const seen: PlaybackDirective[] = []
    manager.onCommand((d) => seen.push(d))
    const kinds = () => seen.map((d) => `${d.type}@${d.seq}`)
    return { socket, seen, kinds }
  }

  it('hands the join state over as a sync, then commands in order', async () => {
    const { socket, kinds } = setup((ev) => (ev === 'room.join' ? ({ ok: true, state: state(2) } satisfies RoomAck) : undefined))
    await manager!.join('room1')
    socket.serverEmit('command', event(4))
    socket.serverEmit('command', event(3))
    expect(kinds()).toEqual(['sync@2', 'seek@3', 'seek@4'])
    expect(manager!.state('room1')?.seq).toBe(4)
  })

  it('keeps events that overtake the join ack', async () => {
    const { socket, kinds } = setup(() => undefined)
    const joined = manager!.join('room1')
    await flush()
    socket.serverEmit('command', event(6))
    socket.requests.find((r) => r.event === 'room.join')!.resolve({ ok: true, state: state(5) })
    await joined
    expect(kinds()).toEqual(['sync@5', 'seek@6'])
  })

  it('asks for room.sync when a gap does not fill, and jumps', async () => {
    const { socket, kinds } = setup((ev) => {
      if (ev === 'room.join') return { ok: true, state: state(1) }
      if (ev === 'room.sync') return { ok: true, state: state(3) }
      return undefined
    })
    await manager!.join('room1')
    socket.serverEmit('command', event(3))
    expect(kinds()).toEqual(['sync@1'])
    await new Promise((r) => setTimeout(r, 120))
    expect(kinds()).toEqual(['sync@1', 'sync@3'])
  })

  it('rejoins its rooms on reconnect and takes the state', async () => {
    let seq = 1
    const { socket, kinds } = setup((ev) =>
      ev === 'room.join' || ev === 'room.personal' ? { ok: true, state: state(seq, { id: ev === 'room.join' ? 'room1' : 'mine' }) } : undefined,
    )
    await manager!.join('room1')
    await manager!.joinPersonal()
    seq = 9
    // The socket was connected when the manager started, so this connect is a reconnection.
    socket.serverEmit('connect', undefined)
    await flush()
    expect(kinds()).toEqual(['sync@1', 'sync@1', 'sync@9', 'sync@9'])
    expect(socket.requests.length).toBe(0)
  })

  it('reports presence from the provider', async () => {
    vi.useFakeTimers()
    const { socket } = setup(() => undefined)
    const report = { roomId: 'r', videoId: 'v', positionMs: 1, bufferedAheadMs: 2, source: 'abr' as const, playing: true }
    manager!.setPresenceProvider(() => report)
    vi.advanceTimersByTime(3000)
    expect(socket.presence).toEqual([report])
  })

  it('corrects positions by the clock offset', async () => {
    const now = 50_000
    const socket = new FakeSocket()
    // The server clock is 1000 ms ahead and the probe is symmetric.
    socket.respond = (ev, payload) => {
      if (ev === 'clock.ping') {
        const t0 = (payload as { t0: number }).t0
        return { t0, t1: t0 + 1000, t2: t0 + 1000 }
      }
      if (ev === 'room.join') return { ok: true, state: state(1, { playing: true, positionMs: 0, updatedAt: 50_500 }) }
      return undefined
    }
    manager = new CommandsManager({ socket: socket as unknown as Socket, now: () => now })
    await manager.probeClock(2)
    expect(manager.clock.offsetMs).toBe(1000)
    const seen: PlaybackDirective[] = []
    manager.onCommand((d) => seen.push(d))
    await manager.join('room1')
    // Server now = 51000, started at 50500: 500 ms in.
    expect(seen[0].positionMs).toBe(500)
    expect(manager.expectedPositionMs('room1')).toBe(500)
  })
})
