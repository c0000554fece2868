import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/s3/**'],
          globalSetup: ['tests/setup/global-db.ts'],
          setupFiles: ['tests/setup/env.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // Against a real S3 server (Swift + s3api), which only these files pay for.
        extends: true,
        test: {
          name: 's3',
          include: ['tests/integration/s3/**/*.test.ts', 'tests/e2e/s3/**/*.test.ts'],
          globalSetup: ['tests/setup/global-db.ts', 'tests/setup/global-s3.ts'],
          setupFiles: ['tests/setup/env.ts', 'tests/setup/env-s3.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // Several nodes on one bucket: the `s3` project runs these, with its S3 server.
          exclude: ['tests/e2e/s3/**'],
          globalSetup: ['tests/setup/global-db.ts', 'tests/setup/global-server.ts'],
          setupFiles: ['tests/setup/env.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
