import pg from 'pg'
import { type RunningPostgres, startEmbeddedPostgres } from '@/lib/db/embedded'

/** DATABASE_URL when set (checked with one connection), else the embedded PostgreSQL under DATA_DIR. */
export async function resolveDatabase(databaseUrl: string | undefined, dataDir: string): Promise<RunningPostgres> {
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 })
    try {
      await client.connect()
    } catch (err) {
      const where = new URL(databaseUrl)
      throw new Error(`cannot reach DATABASE_URL (${where.hostname}:${where.port || 5432}): ${(err as Error).message}`)
    } finally {
      await client.end().catch(() => {})
    }
    return { url: databaseUrl, port: Number(new URL(databaseUrl).port || 5432), owned: false, stop: async () => {} }
  }
  return startEmbeddedPostgres({ dataDir })
}
