import { inject } from 'vitest'

// Each test worker talks to the database and data directory the global set-up created.
process.env.DATABASE_URL = inject('databaseUrl')
process.env.DATA_DIR = inject('dataDir')
process.env.NEXTAUTH_SECRET ??= 'test-secret-test-secret-test-secret'
