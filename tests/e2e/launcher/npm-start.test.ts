import { mkdtemp, readFile, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, startEmbeddedPostgres } from '@/lib/db/embedded'
import { ctrlC, npmStart, processesMentioning, waitHealthy } from '../npm-start'

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

  it('stops its PostgreSQL when a later step fails (the port is taken)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rh-start-fail-'))
    dirs.push(dataDir)
    const busy = net.createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    try {
      const port = (busy.address() as net.AddressInfo).port
      const { child, output } = npmStart({ DATA_DIR: dataDir, PORT: String(port) })
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
      expect(code).toBe(1)
      expect(output()).toMatch(/port \d+ .*already in use/)
      // The cluster was started (and initialised) before the port check, and is stopped again.
      expect((await readFile(path.join(dataDir, 'pg', 'PG_VERSION'), 'utf8')).trim()).toMatch(/^\d+$/)
      expect(processesMentioning(path.join(dataDir, 'pg'))).toEqual([])
    } finally {
      busy.close()
    }
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
