import { spawnSync } from 'node:child_process'
import { cp, mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { deployMigrations, MIGRATIONS_DIR, migrationStatus } from '@/lib/db/migrations'

// Each test gets its own empty database on the test cluster.
async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name}`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(process.env.DATABASE_URL!)
  url.pathname = `/${name}`
  return url.toString()
}

describe('migration runner', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rh-migrations-'))
  })

  it('applies the committed migrations once and records them as Prisma does', async () => {
    const url = await freshDatabase('mig_apply')
    const first = await deployMigrations(url)
    expect(first.length).toBeGreaterThan(0)
    expect(await deployMigrations(url)).toEqual([])
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const { rows } = await client.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"')
    await client.end()
    expect(rows.map((r) => r.migration_name)).toEqual(first)
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/)
      expect(r.finished_at).toBeInstanceOf(Date)
      expect(r.applied_steps_count).toBe(1)
    }
  })

  it('serialises concurrent deploys with the advisory lock', async () => {
    const url = await freshDatabase('mig_concurrent')
    const results = await Promise.all([deployMigrations(url), deployMigrations(url), deployMigrations(url)])
    expect(results.filter((r) => r.length > 0)).toHaveLength(1)
  })

  it('rolls back a failing migration and refuses an edited one', async () => {
    const url = await freshDatabase('mig_broken')
    const local = path.join(dir, 'broken')
    await cp(MIGRATIONS_DIR, local, { recursive: true })
    await mkdir(path.join(local, '99990101000000_broken'))
    await writeFile(path.join(local, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();')
    await expect(deployMigrations(url, local)).rejects.toThrow(/99990101000000_broken failed, rolled back/)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const { rows } = await client.query(`SELECT to_regclass('half_done') AS t`)
    expect(rows[0].t).toBeNull()
    await client.end()
    // The good migrations before it did apply; now edit one of them.
    const [firstName] = (await migrationStatus(url, local)).filter((m) => m.state === 'applied').map((m) => m.name)
    await writeFile(path.join(local, firstName, 'migration.sql'), '-- edited\n', { flag: 'a' })
    await expect(deployMigrations(url, local)).rejects.toThrow(/edited after it was applied/)
    expect((await migrationStatus(url, local)).find((m) => m.name === firstName)?.state).toBe('modified')
  })

  it('finds schema.prisma and the committed migrations in agreement (npm run db:check)', () => {
    // In a child process, as CI and developers run it: the WASM engine does not load under vitest's module runner.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/db/migrate-cli.ts', 'check'], { encoding: 'utf8', env: process.env })
    expect(r.stderr).not.toContain('changes without a migration')
    expect(r.stdout).toContain('migrations match schema.prisma')
    expect(r.status).toBe(0)
  })
})
