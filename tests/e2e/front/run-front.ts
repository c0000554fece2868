import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { freePort } from '@/lib/db/embedded'
import { ensureNginx } from '@/lib/launcher/system'

export interface RunningFront {
  url: string
  runDir: string
  child: ChildProcess
  /** The front's access log so far: one line per request it answered. */
  accessLog(): Promise<string[]>
  stop(): Promise<void>
}

/** `deploy/nginx/run.sh` in front of `upstream`, on a free port, with its files in a temp directory. */
export async function startFront(upstream: string, dataDir: string): Promise<RunningFront> {
  ensureNginx()
  const port = await freePort()
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-front-'))
  const child = spawn('sh', [path.resolve('deploy/nginx/run.sh')], {
    env: { ...process.env, PROXY_PORT: String(port), PROXY_HOST: '127.0.0.1', UPSTREAM: upstream, DATA_DIR: dataDir, NGINX_RUN_DIR: runDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (l) => console.log(`[front] ${l}`))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  while (
    !(await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the front did not start on ${url}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    runDir,
    child,
    accessLog: async () => (await readFile(path.join(runDir, 'access.log'), 'utf8')).split('\n').filter(Boolean),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
      await rm(runDir, { recursive: true, force: true })
    },
  }
}
