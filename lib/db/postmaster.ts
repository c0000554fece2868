import { readFile } from 'node:fs/promises'
import path from 'node:path'

// A PostgreSQL server found through the postmaster.pid of its cluster directory.

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The pid and port of a postmaster already running on `pgDir`, if any (from postmaster.pid). */
export async function runningPostmaster(pgDir: string): Promise<{ pid: number; port: number } | null> {
  const text = await readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => null)
  if (!text) return null
  const lines = text.split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  return pid > 0 && pidAlive(pid) ? { pid, port } : null
}

/** Fast shutdown (SIGINT) of the postmaster on `pgDir`; resolves when it has exited. */
export async function stopPostmaster(pgDir: string): Promise<void> {
  const running = await runningPostmaster(pgDir)
  if (!running) return
  process.kill(running.pid, 'SIGINT')
  const deadline = Date.now() + 15_000
  while (pidAlive(running.pid)) {
    if (Date.now() > deadline) {
      process.kill(running.pid, 'SIGKILL')
      break
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}
