import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { processes } from './processes'

// `npm start` as a user runs it: a detached process group so a Ctrl-C reaches everything in it.
export function npmStart(env: Record<string, string | undefined>, checkout = process.cwd()): { child: ChildProcess; output: () => string } {
  let out = ''
  const child = spawn(process.execPath, [path.join(checkout, 'workers/bootstrap.mjs'), 'start'], {
    cwd: checkout,
    env: { ...process.env, DATABASE_URL: undefined, NEXTAUTH_SECRET: undefined, NEXTAUTH_URL: undefined, SEED_DEMO: '0', HOST: '127.0.0.1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  return { child, output: () => out }
}

/** Waits until /api/v1/health reports the database and one worker; fails with the launcher's output. */
export async function waitHealthy(port: number, output: () => string, child?: ChildProcess) {
  const deadline = Date.now() + 240_000
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) break
    const body = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      (r) => (r.ok ? r.json() : null),
      () => null,
    )
    if (body?.db === 'ok' && body.workers.length === 1) return body
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`not healthy:\n${output()}`)
}

/** Ctrl-C in the terminal: SIGINT to the whole process group; resolves with the exit code. */
export async function ctrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  process.kill(-child.pid!, 'SIGINT')
  return exited
}

export const processesMentioning = (needle: string) => processes().filter((p) => p.args.includes(needle))
