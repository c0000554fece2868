import { effectivePositionMs, type RoomState } from './protocol'

// Pure helpers the player component uses to follow a room's state. Browser-safe.

/** The video a state points at, or null when the room has nothing loaded. */
export const currentVideoId = (state: RoomState): string | null => state.videoIds[state.currentIndex] ?? null

/** Where playback of `state` should be at client time `clientNow`, given the clock offset (server - client). */
export const expectedPositionMs = (state: RoomState, clientNow: number, offsetMs: number): number => effectivePositionMs(state, clientNow + offsetMs)

/** Players in one room stay within this of each other. */
export const SYNC_TOLERANCE_MS = 250

/**
 * What to do about drift between the media element and the room: null inside the tolerance, else
 * the position to seek to. Seeking (rather than nudging the rate) keeps the rule simple and the
 * bound hard; players call this after each directive and every few seconds.
 */
export function driftCorrection(actualMs: number, expectedMs: number, toleranceMs = SYNC_TOLERANCE_MS): number | null {
  return Math.abs(actualMs - expectedMs) > toleranceMs ? expectedMs : null
}
