import { type ChildProcess, spawn } from 'node:child_process'
import readline from 'node:readline'
import { couldNotRun } from './programs'

const COLORS = { web: 36, worker: 35, pg: 33 } as const

/**
 * V8 flags per child. The web process streams media to many slow readers: with V8's default 16 MiB
 * young-generation semi-space its heap alone grows ~18 MiB under 200 paused viewers; 4 MiB keeps
 * the young generation small (bench/range `paused` and `throughput` compare both in one run).
 */
export const NODE_FLAGS: Record<keyof typeof COLORS, string[]> = { web: ['--max-semi-space-size=4'], worker: [], pg: [] }

/**
 * Runs a TypeScript entry point as a child process whose output lines carry a `[name]` prefix.
 * Children get their own process group: a Ctrl-C reaches only the launcher, which stops them in
 * order (web and worker, then the database). `onEnd` hears once how the child ended: its exit
 * code, or the one line saying why it could not start.
 */
export function runChild(
  name: keyof typeof COLORS,
  entry: string,
  env: NodeJS.ProcessEnv,
  onEnd: (code: number | null, startError?: Error) => void = (_code, startError) => startError && console.error(`reelhouse: ${startError.message}`),
): ChildProcess {
  const child = spawn(process.execPath, [...NODE_FLAGS[name], '--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  child.once('error', (err) => onEnd(null, couldNotRun(name, process.execPath, err)))
  child.once('exit', (code) => onEnd(code))
  const prefix = process.stdout.isTTY ? `\x1b[${COLORS[name]}m[${name}]\x1b[0m ` : `[${name}] `
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(prefix + line))
  }
  return child
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited (or never started). */
export function stopChild(child: ChildProcess, graceMs = 12_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
