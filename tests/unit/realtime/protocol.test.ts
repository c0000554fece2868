import { describe, expect, it } from 'vitest'
import { commandFromBody } from '@/lib/rooms/schemas'
import { driftCorrection, expectedPositionMs } from '@/lib/realtime/playback'
import { PresenceBatch } from '@/lib/realtime/presence'
import { type Command, commandSchema, effectivePositionMs, invalidInput, MAX_ROOM_VIDEOS, presenceSchema } from '@/lib/realtime/protocol'
import { state } from './fixtures'

const ok = (v: unknown) => commandSchema.safeParse(v).success

describe('command validation', () => {
  it('accepts every command type in its shape', () => {
    const valid: Command[] = [
      { type: 'playlist.load', roomId: 'r', videoIds: ['a', 'b'], startIndex: 1 },
      { type: 'playlist.load', roomId: 'r', playlistId: 'p' },
      { type: 'play', roomId: 'r' },
      { type: 'pause', roomId: 'r' },
      { type: 'seek', roomId: 'r', positionMs: 12_345 },
      { type: 'next', roomId: 'r' },
      { type: 'prev', roomId: 'r' },
      { type: 'select', roomId: 'r', index: 2 },
    ]
    for (const c of valid) expect(commandSchema.parse(c)).toEqual(c)
  })

  it.each([
    ['unknown type', { type: 'explode', roomId: 'r' }],
    ['no room', { type: 'play' }],
    ['empty room id', { type: 'play', roomId: '' }],
    ['room id not a string', { type: 'play', roomId: 5 }],
    ['negative seek', { type: 'seek', roomId: 'r', positionMs: -1 }],
    ['fractional seek', { type: 'seek', roomId: 'r', positionMs: 1.5 }],
    ['seek as string', { type: 'seek', roomId: 'r', positionMs: '100' }],
    ['seek past the column', { type: 'seek', roomId: 'r', positionMs: 3_000_000_000 }],
    ['select without index', { type: 'select', roomId: 'r' }],
    ['negative index', { type: 'select', roomId: 'r', index: -1 }],
    ['load with neither', { type: 'playlist.load', roomId: 'r' }],
    ['load with both', { type: 'playlist.load', roomId: 'r', videoIds: ['a'], playlistId: 'p' }],
    ['load of nothing', { type: 'playlist.load', roomId: 'r', videoIds: [] }],
    ['load too long', { type: 'playlist.load', roomId: 'r', videoIds: Array(MAX_ROOM_VIDEOS + 1).fill('v') }],
    ['not an object', 'play'],
    ['null', null],
  ])('rejects %s', (_name, value) => {
    expect(ok(value)).toBe(false)
  })

  it('turns a failure into an INVALID_INPUT error ack naming the field', () => {
    const r = commandSchema.safeParse({ type: 'seek', roomId: 'r', positionMs: -5 })
    expect(r.success).toBe(false)
    const ack = invalidInput(r.error!)
    expect(ack.ok).toBe(false)
    expect(ack.error.code).toBe('INVALID_INPUT')
    expect(ack.error.message).toMatch(/^positionMs: /)
  })

  it('builds a REST command with the room from the path', () => {
    expect(commandFromBody('room9', { type: 'seek', positionMs: 5, roomId: 'other' })).toEqual({
      type: 'seek',
      roomId: 'room9',
      positionMs: 5,
    })
    expect(() => commandFromBody('room9', { type: 'nope' })).toThrow()
    expect(() => commandFromBody('room9', null)).toThrow()
  })
})

describe('presence validation', () => {
  const report = { roomId: 'r', videoId: 'v', positionMs: 1000, bufferedAheadMs: 5000, source: 'abr', playing: true }
  it('accepts a report and a player with no video', () => {
    expect(presenceSchema.safeParse(report).success).toBe(true)
    expect(presenceSchema.safeParse({ ...report, videoId: null }).success).toBe(true)
  })
  it('rejects unknown sources and negative numbers', () => {
    expect(presenceSchema.safeParse({ ...report, source: 'p2p' }).success).toBe(false)
    expect(presenceSchema.safeParse({ ...report, bufferedAheadMs: -1 }).success).toBe(false)
  })
})

describe('positions', () => {
  it('advances a playing state by rate from updatedAt, and holds a paused one', () => {
    const playing = state(1, { playing: true, positionMs: 10_000, updatedAt: 1000, rate: 1.5 })
    expect(effectivePositionMs(playing, 3000)).toBe(13_000)
    expect(effectivePositionMs({ ...playing, playing: false }, 3000)).toBe(10_000)
    // A server clock behind updatedAt never moves playback backwards.
    expect(effectivePositionMs(playing, 500)).toBe(10_000)
  })

  it('corrects by the clock offset', () => {
    const s = state(1, { playing: true, positionMs: 0, updatedAt: 10_000 })
    // The client clock is 2 s behind the server: client 9000 is server 11000.
    expect(expectedPositionMs(s, 9000, 2000)).toBe(1000)
  })

  it('seeks only outside the tolerance', () => {
    expect(driftCorrection(1000, 1200)).toBeNull()
    expect(driftCorrection(1000, 1300)).toBe(1300)
    expect(driftCorrection(1300, 1000, 100)).toBe(1000)
  })
})

describe('presence batch', () => {
  it('coalesces updates per socket and reports removals once', () => {
    const b = new PresenceBatch()
    const info = (socketId: string, positionMs: number) => ({
      socketId,
      userId: 'u',
      email: 'u@x',
      clientId: null,
      personalRoomId: null,
      rooms: [],
      connectedAt: 0,
      presence: { roomId: 'r', videoId: 'v', positionMs, bufferedAheadMs: 0, source: 'direct' as const, playing: true, receivedAt: 0 },
    })
    b.update(info('a', 1))
    b.update(info('a', 2))
    b.update(info('b', 1))
    b.remove('b')
    const out = b.take()
    expect(out.players.map((p) => [p.socketId, p.presence?.positionMs])).toEqual([['a', 2]])
    expect(out.socketIds).toEqual(['b'])
    expect(b.take()).toEqual({ players: [], socketIds: [] })
  })
})
