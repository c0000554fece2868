import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { LEFTOVER_MIN_AGE_MS, sweepLeftovers } from '@/lib/content/leftovers'
import { workRoot } from '@/lib/content/paths'
import { s3ContentStore } from '@/lib/content/store/s3'
import { db, disconnectDb } from '@/lib/db'

const randomHash = () => randomBytes(32).toString('hex')
const put = (hash: string, rel: string) => s3ContentStore(inject('s3')).put(hash, rel, Readable.from([Buffer.from(rel)]))

afterAll(disconnectDb)

describe('the leftover sweep with CONTENT_STORE=s3', () => {
  it('deletes the objects of hashes no row references once old enough, keeps referenced and recent ones, and old scratch folders', async () => {
    const store = s3ContentStore(inject('s3'))
    const [orphan, referenced, recent] = [randomHash(), randomHash(), randomHash()]
    for (const h of [orphan, referenced]) {
      await put(h, 'original')
      await put(h, 'streams/0/seg-00001.m4s')
    }
    await db.content.create({ data: { hash: referenced, size: 10n, mime: 'video/mp4' } })
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rh-s3-sweep-'))
    const scratch = path.join(workRoot(dataDir), `${orphan}-0badcafe`)
    await mkdir(scratch, { recursive: true })
    const old = new Date(Date.now() - 2 * LEFTOVER_MIN_AGE_MS)
    await utimes(scratch, old, old)
    // Object times have whole seconds: let the first objects be strictly older than the cutoff.
    await new Promise((r) => setTimeout(r, 1500))
    const cutoffAgoMs = 1000
    await put(recent, 'original')

    const result = await sweepLeftovers({ dataDir, store, minAgeMs: cutoffAgoMs })
    expect(await store.list(orphan)).toEqual([])
    expect((await store.list(referenced)).length).toBe(2)
    expect((await store.list(recent)).length).toBe(1)
    expect(result.content).toBeGreaterThanOrEqual(1)
    expect(await readdir(workRoot(dataDir))).toEqual([])
    await store.remove(recent)
    await store.remove(referenced)
    await rm(dataDir, { recursive: true, force: true })
  })
})
