import { AppError } from '@/lib/errors'
import { type Command, MAX_POSITION_MS, type RoomState } from '@/lib/realtime/protocol'

// How one command moves a room's playback state. Pure: the room's owner node runs it on the
// state it holds, so assigning a seq never waits on the database. The database path in
// apply-command.ts states the same rules in SQL for processes without a realtime node.

/** Where playback is at `now` (integer ms, clamped; a clock step backwards counts as no time). */
export function positionAt(state: RoomState, now: number): number {
  if (!state.playing) return state.positionMs
  return Math.min(MAX_POSITION_MS, state.positionMs + Math.max(0, Math.floor((now - state.updatedAt) * state.rate)))
}

/**
 * The state after `cmd` at server time `now`, with the next seq. `videoIds` are the ids a
 * playlist.load resolved to (checked against what the sender may see). Commands that need a
 * video at the target index are refused with CONFLICT instead of pointing nowhere.
 */
export function nextState(state: RoomState, cmd: Command, now: number, videoIds: string[] | null = null): RoomState {
  const len = state.videoIds.length
  const at = (patch: Partial<RoomState>): RoomState => ({ ...state, ...patch, seq: state.seq + 1, updatedAt: now })
  switch (cmd.type) {
    case 'play':
      return at({ positionMs: positionAt(state, now), playing: true })
    case 'pause':
      return at({ positionMs: positionAt(state, now), playing: false })
    case 'seek':
      return at({ positionMs: cmd.positionMs })
    // At the last item `next` keeps playing it where it is; `prev` at the first restarts it.
    case 'next':
      if (len === 0) throw noPlaylist()
      return state.currentIndex + 1 < len ? at({ currentIndex: state.currentIndex + 1, positionMs: 0 }) : at({ positionMs: positionAt(state, now) })
    case 'prev':
      if (len === 0) throw noPlaylist()
      return at({ currentIndex: Math.max(state.currentIndex - 1, 0), positionMs: 0 })
    case 'select':
      if (cmd.index >= len) throw new AppError('CONFLICT', `No video at index ${cmd.index} (the room has ${len}).`)
      return at({ currentIndex: cmd.index, positionMs: 0 })
    // Rebased at the old rate, so the position does not jump.
    case 'rate':
      return at({ positionMs: positionAt(state, now), rate: cmd.rate })
    case 'playlist.load': {
      const ids = videoIds ?? []
      return at({ videoIds: ids, currentIndex: Math.max(0, Math.min(cmd.startIndex ?? 0, ids.length - 1)), positionMs: 0 })
    }
  }
}

const noPlaylist = () => new AppError('CONFLICT', 'The room has no playlist loaded.')
