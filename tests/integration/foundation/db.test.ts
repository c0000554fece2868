import { afterAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { migrationStatus } from '@/lib/db/migrations'

describe('database set-up', () => {
  afterAll(disconnectDb)

  it('has every migration applied, as Prisma would record it', async () => {
    const status = await migrationStatus(process.env.DATABASE_URL!)
    expect(status.length).toBeGreaterThan(0)
    expect(status.every((s) => s.state === 'applied')).toBe(true)
  })

  it('round-trips a user through Prisma', async () => {
    const u = await db.user.create({ data: { email: `t${Date.now()}@x.test`, passwordHash: 'x' } })
    expect((await db.user.findUnique({ where: { id: u.id } }))?.email).toBe(u.email)
  })
})
