import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import { NODE_FLAGS } from '@/lib/launcher/children'

const run = promisify(execFile)
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..')

export interface Running {
  port: number
  pid: number
  stop(): Promise<void>
}

/** Installs Debian packages for tools the bench needs when their binary is missing. */
export async function ensureTools(): Promise<void> {
  const missing = [
    ['/usr/sbin/nginx', 'nginx-light'],
    ['/usr/bin/wrk', 'wrk'],
  ].filter(([bin]) => !existsSync(bin))
  if (missing.length === 0) return
  const packages = missing.map(([, pkg]) => pkg)
  console.log(`installing ${packages.join(', ')} with apt-get`)
  await run('apt-get', ['install', '-y', '-q', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`nothing listening on 127.0.0.1:${port}`)
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill(signal)
  })
}

/** nginx with sendfile serving `root` from a loopback port, one worker like our one event loop. */
export async function startNginx(root: string, workDir: string, workers: number | 'auto' = 1): Promise<Running> {
  const port = await freePort()
  const prefix = path.join(workDir, `nginx-${port}`)
  await mkdir(prefix, { recursive: true })
  const conf = path.join(prefix, 'nginx.conf')
  await writeFile(
    conf,
    `daemon off;
worker_processes ${workers};
user root;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path ${prefix}/body;
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`,
  )
  const child = spawn('/usr/sbin/nginx', ['-e', `${prefix}/error.log`, '-p', prefix, '-c', conf], { stdio: 'ignore' })
  await waitForPort(port, 5000)
  return { port, pid: child.pid ?? 0, stop: () => stopChild(child, 'SIGQUIT') }
}

export interface ServerStats {
  /** Finished responses by outcome (complete, aborted, stalled, …). */
  outcomes: Record<string, number>
  /** Event-loop delay in ms since the previous call. */
  loop: { p50: number; p99: number; max: number }
  /** Peaks in MiB since the previous call: V8 heap used and reserved, array buffers, read pieces lent and kept idle. */
  memory: { heapUsed: number; heapTotal: number; arrayBuffers: number; lentBytes: number; idleBytes: number }
}

export interface OurServer extends Running {
  stats(): Promise<ServerStats>
}

/** Our production path (node:http + handleContentRequest) in a child process of its own, with the web process's V8 flags unless told otherwise. */
export async function startOurServer(dataDir: string, pieceSize: number, nodeFlags: string[] = NODE_FLAGS.web): Promise<OurServer> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(PROJECT_ROOT, 'bench/range/server.ts'), dataDir, String(pieceSize)], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'error' },
  })
  const lines: string[] = []
  let waiting: (() => void) | undefined
  let pending = ''
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (text: string) => {
    pending += text
    const parts = pending.split('\n')
    pending = parts.pop() ?? ''
    lines.push(...parts)
    waiting?.()
  })
  const nextLine = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not say "${prefix}"`)), timeoutMs)
      const check = () => {
        const i = lines.findIndex((l) => l.startsWith(prefix))
        if (i === -1) return
        clearTimeout(timer)
        waiting = undefined
        resolve(lines.splice(i, 1)[0].slice(prefix.length).trim())
      }
      waiting = check
      check()
    })
  const port = Number(await nextLine('listening', 15_000))
  return {
    port,
    pid: child.pid ?? 0,
    async stats() {
      child.stdin?.write('stats\n')
      return JSON.parse(await nextLine('stats', 5000)) as ServerStats
    },
    stop: () => stopChild(child, 'SIGTERM'),
  }
}

/** Resident set size of a process in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
  return Number(kb) * 1024
}
