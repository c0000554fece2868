import { execFileSync } from 'node:child_process'
import { lstat, mkdtemp, readlink, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '@/lib/db/embedded'
import { removeOrphanedHomes, SERVER_HOMES } from '@/lib/db/embedded-layout'
import { runningPostmaster } from '@/lib/db/postmaster'

// As root the embedded PostgreSQL runs as the `postgres` user, which cannot enter a 0700 directory
// of root's (root's own home being the usual one). Without root there is no other user to run as.
const asRoot = process.getuid?.() === 0

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}

const uidOf = async (pid: number) => (await stat(`/proc/${pid}`)).uid
const postgresUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())

describe.skipIf(!asRoot)('embedded PostgreSQL started by root [skipped unless root]', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
    await removeOrphanedHomes()
  })

  it('keeps the cluster of a DATA_DIR the postgres user cannot reach in a home of its own, reused on restart and removed with DATA_DIR', async () => {
    const privateDir = await mkdtemp(path.join(os.tmpdir(), 'rh-private-')) // 0700, root's
    dirs.push(privateDir)
    const dataDir = path.join(privateDir, 'data')

    const first = await startEmbeddedPostgres({ dataDir })
    const home = path.dirname(await readlink(path.join(dataDir, 'pg')))
    expect(path.dirname(home)).toBe(SERVER_HOMES)
    const server = (await runningPostmaster(path.join(dataDir, 'pg')))!
    expect(await uidOf(server.pid)).toBe(postgresUid())
    const exe = execFileSync('readlink', [`/proc/${server.pid}/exe`], { encoding: 'utf8' }).trim()
    expect(exe.startsWith(`${home}/`)).toBe(true)
    await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives a restart')")
    await first.stop()
    expect(await runningPostmaster(path.join(home, 'pg'))).toBeNull()

    const second = await startEmbeddedPostgres({ dataDir })
    expect(path.dirname(await readlink(path.join(dataDir, 'pg')))).toBe(home)
    expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'survives a restart' }])
    await second.stop()

    // Still linked from DATA_DIR: not an orphan.
    expect(await removeOrphanedHomes()).not.toContain(home)
    await rm(privateDir, { recursive: true, force: true })
    expect(await removeOrphanedHomes()).toContain(home)
    expect(await lstat(home).catch(() => null)).toBeNull()
  })

  it('keeps the cluster in DATA_DIR/pg when the postgres user can reach it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rh-reachable-'))
    dirs.push(dataDir)
    const running = await startEmbeddedPostgres({ dataDir })
    try {
      const pgDir = await lstat(path.join(dataDir, 'pg'))
      expect(pgDir.isDirectory()).toBe(true)
      expect(pgDir.uid).toBe(postgresUid())
      expect(await query(running.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }])
    } finally {
      await running.stop()
    }
  })
})
