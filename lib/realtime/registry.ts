import type { Realtime } from './server'

// The realtime instance attached in this process. Route handlers that Next bundles load their own
// copy of every module, so it lives on globalThis, where server.ts (or the hand-off) put it. Its
// own module, so that domain code (lib/rooms) can reach it without importing the socket server.

const KEY = Symbol.for('reelhouse.realtime')
const slot = globalThis as unknown as { [KEY]?: Realtime }

/** The instance attached in this process, if any (none in workers, CLIs or a plain `next dev`). */
export const getRealtime = (): Realtime | undefined => slot[KEY]

/** Makes `r` the instance the module-level functions use (attachRealtime does this itself). */
export const registerRealtime = (r: Realtime | undefined): void => {
  slot[KEY] = r
}
