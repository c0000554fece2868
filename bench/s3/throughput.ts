/**
 * 64 MiB PUT and GET through the S3 content store against the SDK's bare calls, in the same run.
 *
 *   npx tsx bench/s3/throughput.ts [--rounds 3] [--mib 64]
 *
 * Target: the S3 named by CONTENT_STORE=s3 and the S3_* variables, or else a local Swift started
 * here. Store PUT = a file by path (multipart, 8 MiB parts × 4 in flight); bare PUT = one
 * PutObject of the bytes in memory. GET = the store's object streamed and counted, through the
 * store and through a bare GetObject (the same object: Swift reads a multipart object slower than
 * a single one, which is not the store's doing). Rounds alternate
 * store/bare so load swings on a shared machine hit both; medians are reported.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { readEnv } from '@/lib/config/env'
import { objectKey } from '@/lib/content/store/keys'
import { s3ContentStore } from '@/lib/content/store/s3'
import { createS3Client, type S3Settings, s3SettingsFromEnv } from '@/lib/content/store/s3-client'
import { startLocalS3 } from '@/lib/launcher/local-s3/server'

const { values: opt } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, mib: { type: 'string', default: '64' } } })
const rounds = Number(opt.rounds)
const bytes = randomBytes(Number(opt.mib) << 20)
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-s3-'))
const env = readEnv()
const local = env.CONTENT_STORE === 's3' ? null : await startLocalS3({ dir: path.join(dir, 's3'), bucket: 'bench' })
const settings: S3Settings = local?.settings ?? s3SettingsFromEnv(env)
const client = createS3Client(settings)
const store = s3ContentStore(settings, client)
const file = path.join(dir, 'source')
await writeFile(file, bytes)

async function drain(body: Readable): Promise<number> {
  let n = 0
  for await (const c of body) n += (c as Buffer).length
  return n
}
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return bytes.length / 1048576 / ((performance.now() - t0) / 1000)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const hash = randomBytes(32).toString('hex')
const results = { storePut: [] as number[], barePut: [] as number[], storeGet: [] as number[], bareGet: [] as number[] }
for (let i = 0; i < rounds; i++) {
  results.storePut.push(await timed(() => store.put(hash, 'original', file)))
  results.barePut.push(await timed(() => client.send(new PutObjectCommand({ Bucket: settings.bucket, Key: objectKey(settings.prefix, hash, 'bare'), Body: bytes }))))
  results.storeGet.push(
    await timed(async () => {
      const r = await store.read(hash, 'original')
      if ((await drain(r!.body)) !== bytes.length) throw new Error('short read')
    }),
  )
  results.bareGet.push(
    await timed(async () => {
      const r = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: objectKey(settings.prefix, hash, 'original') }))
      if ((await drain(r.Body as Readable)) !== bytes.length) throw new Error('short read')
    }),
  )
}
await store.remove(hash)
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<keyof typeof results, number>
console.log(`${opt.mib} MiB × ${rounds} rounds, ${settings.endpoint ?? 'AWS'} (MiB/s, median)`)
console.log(`PUT store ${m.storePut.toFixed(0)}  bare ${m.barePut.toFixed(0)}  ratio ${(m.storePut / m.barePut).toFixed(2)}`)
console.log(`GET store ${m.storeGet.toFixed(0)}  bare ${m.bareGet.toFixed(0)}  ratio ${(m.storeGet / m.bareGet).toFixed(2)}`)
client.destroy()
await local?.stop()
await rm(dir, { recursive: true, force: true })
