import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'

// Offline stand-in for `prisma migrate deploy` / `status`. Prisma 7's CLI downloads a native
// schema engine before every command, which these machines cannot reach. This runner keeps the
// same folder layout and Prisma's exact `_prisma_migrations` bookkeeping, so stock
// `prisma migrate deploy` accepts a database migrated here (and the other way round).

export const MIGRATIONS_DIR = path.resolve(/*turbopackIgnore: true*/ 'prisma/migrations')
/** The advisory lock id Prisma's schema engine takes on Postgres: concurrent starts serialise. */
const LOCK_ID = 72707369
const TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

export class MigrationError extends Error {}

export interface LocalMigration {
  name: string
  sql: string
  checksum: string
}

interface AppliedRow {
  migration_name: string
  checksum: string
  finished_at: Date | null
  rolled_back_at: Date | null
}

export type MigrationState = 'pending' | 'applied' | 'failed' | 'modified' | 'missing-locally'

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')

export async function localMigrations(dir = MIGRATIONS_DIR): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  return Promise.all(
    folders.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8').catch(() => {
        throw new MigrationError(`${name}/migration.sql is missing`)
      })
      return { name, sql, checksum: sha256(sql) }
    }),
  )
}

async function withLockedClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID])
    return await fn(client)
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => {})
    await client.end()
  }
}

async function appliedRows(client: pg.Client): Promise<AppliedRow[] | null> {
  const { rows } = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`)
  if (!rows[0].t) return null
  return (await client.query<AppliedRow>('SELECT * FROM "_prisma_migrations" ORDER BY started_at')).rows
}

/** Applies every pending migration, each in its own transaction. Returns the names applied. */
export async function deployMigrations(url: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const local = await localMigrations(dir)
  return withLockedClient(url, async (client) => {
    let rows = await appliedRows(client)
    if (rows === null) {
      const { rows: t } = await client.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()')
      if (t[0].n > 0) {
        throw new MigrationError('database is not empty and has no _prisma_migrations table (P3005: baseline it first)')
      }
      await client.query(TABLE)
      rows = []
    }
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at)
    if (failed.length) {
      throw new MigrationError(`failed migration(s) in the database: ${failed.map((r) => r.migration_name)} (P3009)`)
    }
    const applied = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]))
    for (const m of local) {
      const row = applied.get(m.name)
      if (row && row.checksum !== m.checksum) {
        throw new MigrationError(`migration ${m.name} was edited after it was applied (checksum differs)`)
      }
    }
    const pending = local.filter((m) => !applied.has(m.name))
    for (const m of pending) {
      const id = randomUUID()
      // Prisma sends the script as one simple-protocol query; Postgres runs it atomically too.
      await client.query('BEGIN')
      try {
        await client.query('INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)', [id, m.checksum, m.name])
        await client.query(m.sql)
        await client.query(
          `UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1,
                  finished_at = clock_timestamp() WHERE id = $1`,
          [id],
        )
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw new MigrationError(`migration ${m.name} failed, rolled back: ${(err as Error).message}`)
      }
    }
    return pending.map((m) => m.name)
  })
}

export async function migrationStatus(url: string, dir = MIGRATIONS_DIR): Promise<{ name: string; state: MigrationState }[]> {
  const local = await localMigrations(dir)
  return withLockedClient(url, async (client) => {
    const rows = ((await appliedRows(client)) ?? []).filter((r) => !r.rolled_back_at)
    const byName = new Map(rows.map((r) => [r.migration_name, r]))
    const out: { name: string; state: MigrationState }[] = local.map((m) => {
      const r = byName.get(m.name)
      const state: MigrationState = !r ? 'pending' : !r.finished_at ? 'failed' : r.checksum !== m.checksum ? 'modified' : 'applied'
      return { name: m.name, state }
    })
    for (const r of rows) {
      if (!local.some((m) => m.name === r.migration_name)) out.push({ name: r.migration_name, state: 'missing-locally' })
    }
    return out
  })
}
