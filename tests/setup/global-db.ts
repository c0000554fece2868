import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '@/lib/db/embedded'
import { deployMigrations } from '@/lib/db/migrations'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    dataDir: string
  }
}

// A real PostgreSQL for the integration and e2e projects: a fresh embedded cluster on a free
// port, migrated with the same runner `npm start` uses, removed afterwards.
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-test-'))
  const pg = await startEmbeddedPostgres({ dataDir })
  await deployMigrations(pg.url)
  project.provide('databaseUrl', pg.url)
  project.provide('dataDir', dataDir)
  process.env.DATABASE_URL = pg.url
  process.env.DATA_DIR = dataDir
  return async () => {
    await pg.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
