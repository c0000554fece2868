import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'

afterAll(disconnectDb)

describe('the original_types migration', () => {
  it('turns types an uploader claimed into downloads, and keeps the video types of originals that were not refused', async () => {
    const rows = [
      { mime: 'text/html', state: 'UPLOADED', want: 'application/octet-stream' },
      { mime: 'image/svg+xml', state: 'STORED', want: 'application/octet-stream' },
      { mime: 'video/mp4', state: 'FAILED', want: 'application/octet-stream' },
      { mime: 'video/mp4', state: 'STORED', want: 'video/mp4' },
      { mime: 'video/webm', state: 'PROCESSING', want: 'video/webm' },
    ] as const
    const hashes = rows.map(() => randomBytes(32).toString('hex'))
    await db.content.createMany({ data: rows.map((r, i) => ({ hash: hashes[i], size: 1n, mime: r.mime, state: r.state })) })
    const sql = await readFile('prisma/migrations/20261201113000_original_types/migration.sql', 'utf8')
    // Applied once more: it is idempotent, and the rows above were made after the first run.
    await db.$executeRawUnsafe(sql)
    const after = await db.content.findMany({ where: { hash: { in: hashes } }, select: { hash: true, mime: true } })
    expect(hashes.map((h) => after.find((a) => a.hash === h)?.mime)).toEqual(rows.map((r) => r.want))
    await db.content.deleteMany({ where: { hash: { in: hashes } } })
  })
})
