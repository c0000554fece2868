import { defineConfig } from 'prisma/config'

// The URL is read lazily: `prisma generate` needs no database and must work without DATABASE_URL.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
})
