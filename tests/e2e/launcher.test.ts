import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, startEmbeddedPostgres } from '@/lib/db/embedded'
import { processes } from './processes'

// `npm start` as a user runs it: a detached process group so a Ctrl-C reaches everything in it.
function npmStart(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = ''
  const child = spawn(process.execPath, ['workers/bootstrap.mjs', 'start'], {
    env: { ...process.env, DATABASE_URL: undefined, NEXTAUTH_SECRET: undefined, NEXTAUTH_URL: undefined, SEED_DEMO: '0', HOST: '127.0.0.1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  return { child, output: () => out }
}

async function waitHealthy(port: number, output: () => string) {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const body = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => (r.ok ? r.json() : null), () => null)
    if (body?.db === 'ok' && body.workers.length === 1) return body
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`not healthy:\n${output()}`)
}

async function ctrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  process.kill(-child.pid!, 'SIGINT')
  return exited
}

const processesMentioning = (needle: string) => processes().filter((p) => p.args.includes(needle))

describe('npm start', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  })

  it('starts embedded Postgres, web and worker; Ctrl-C leaves no process behind; a second start reuses the data', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rh-start-'))
    dirs.push(dataDir)
    const port = await freePort()
    for (const round of [1, 2]) {
      const { child, output } = npmStart({ DATA_DIR: dataDir, PORT: String(port), ADMIN_EMAIL: 'boss@example.test' })
      const health = await waitHealthy(port, output)
      expect(health.status).toBe('ok')
      const page = await fetch(`http://127.0.0.1:${port}/`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('Gallery')
      expect(processesMentioning(path.join(dataDir, 'pg')).length).toBeGreaterThan(0)
      expect(await ctrlC(child)).toBe(0)
      expect(output()).toContain('reelhouse: stopped')
      if (round === 1) expect(output()).toMatch(/created admin boss@example\.test with password \S+/)
      else {
        expect(output()).not.toContain('created admin')
        expect(output()).not.toContain('building the production bundle')
      }
      expect(processesMentioning(dataDir)).toEqual([])
      expect(processesMentioning(`PORT=${port}`)).toEqual([])
    }
    expect((await readFile(path.join(dataDir, 'auth-secret'), 'utf8')).trim().length).toBeGreaterThan(30)
  })

  it('uses the PostgreSQL named by DATABASE_URL instead of an embedded one', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'rh-otherpg-'))
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rh-start-ext-'))
    dirs.push(otherDir, dataDir)
    const other = await startEmbeddedPostgres({ dataDir: otherDir })
    try {
      const port = await freePort()
      const { child, output } = npmStart({ DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: other.url, ADMIN_EMAIL: 'ext@example.test' })
      await waitHealthy(port, output)
      const client = new pg.Client({ connectionString: other.url })
      await client.connect()
      const { rows } = await client.query(`SELECT email, role FROM "User"`)
      const workers = await client.query(`SELECT id FROM "Worker"`)
      await client.end()
      expect(rows).toEqual([{ email: 'ext@example.test', role: 'ADMIN' }])
      expect(workers.rowCount).toBe(1)
      expect(await ctrlC(child)).toBe(0)
      // No embedded cluster was made in DATA_DIR.
      await expect(readFile(path.join(dataDir, 'pg', 'PG_VERSION'))).rejects.toThrow()
    } finally {
      await other.stop()
    }
  })
})
