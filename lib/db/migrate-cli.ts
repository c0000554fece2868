import { readEnv } from '@/lib/config/env'
import { startEmbeddedPostgres } from './embedded'
import { deployMigrations, MigrationError, migrationStatus } from './migrations'
import { createMigration, diffMigrationsToSchema } from './schema-diff'

// npm run db:deploy | db:status | db:check | db:create -- <name>
// Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (started for the command if needed).
async function main() {
  const [cmd, arg] = process.argv.slice(2)
  const env = readEnv()
  const pg = env.DATABASE_URL ? { url: env.DATABASE_URL, stop: async () => {} } : await startEmbeddedPostgres({ dataDir: env.dataDir })
  try {
    switch (cmd) {
      case 'deploy': {
        const applied = await deployMigrations(pg.url)
        console.log(applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations')
        break
      }
      case 'status': {
        const rows = await migrationStatus(pg.url)
        for (const r of rows) console.log(`${r.state.padEnd(16)} ${r.name}`)
        if (rows.some((r) => r.state !== 'applied')) process.exitCode = 2
        break
      }
      case 'check': {
        const { changed, sql } = await diffMigrationsToSchema(pg.url)
        if (changed) {
          console.error(`schema.prisma has changes without a migration:\n${sql}`)
          process.exitCode = 1
        } else console.log('migrations match schema.prisma')
        break
      }
      case 'create': {
        const dir = await createMigration(pg.url, arg ?? '')
        console.log(dir ? `created ${dir}/migration.sql` : 'schema.prisma matches the migrations; nothing to create')
        break
      }
      default:
        console.error('usage: migrate-cli deploy | status | check | create <name>')
        process.exitCode = 1
    }
  } catch (err) {
    console.error(err instanceof MigrationError ? `migrate: ${err.message}` : err)
    process.exitCode = 1
  } finally {
    await pg.stop()
  }
  // The schema engine's pool would otherwise keep Node alive for ~10 s.
  process.exit(process.exitCode ?? 0)
}

await main()
