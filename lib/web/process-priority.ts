import { readdirSync } from 'node:fs'
import os from 'node:os'

/**
 * Lowers this process's CPU priority to `nice` (never raises it). On Linux a nice value belongs
 * to a thread, so every thread that exists now is set; threads started later inherit it.
 * Returns the threads changed.
 */
export function lowerOwnPriority(nice: number): number {
  if (nice <= 0) return 0
  const threads = process.platform === 'linux' ? readdirSync('/proc/self/task').map(Number) : [0]
  let changed = 0
  for (const tid of threads) {
    try {
      if (os.getPriority(tid) < nice) {
        os.setPriority(tid, nice)
        changed++
      }
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return changed
}
