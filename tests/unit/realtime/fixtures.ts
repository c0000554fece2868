import type { CommandEvent, RoomState } from '@/lib/realtime/protocol'

export const state = (seq: number, over: Partial<RoomState> = {}): RoomState => ({
  id: 'room1',
  name: 'Room',
  videoIds: ['v1', 'v2', 'v3'],
  currentIndex: 0,
  positionMs: 0,
  playing: false,
  rate: 1,
  seq,
  updatedAt: 1_000_000,
  ...over,
})

export const event = (seq: number, over: Partial<RoomState> = {}): CommandEvent => ({
  type: 'seek',
  roomId: 'room1',
  positionMs: seq * 1000,
  seq,
  serverTime: 1_000_000 + seq,
  state: state(seq, { positionMs: seq * 1000, ...over }),
})
