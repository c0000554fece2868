/**
 * 64 MiB PUT and GET through the S3 content store against the SDK's bare calls, in the same run.
 *
 *   npx tsx bench/s3/throughput.ts [--rounds 3] [--mib 64]
 *
 * Target: the S3 named by CONTENT_STORE=s3 and the S3_* variables, or else a local Swift started
 * here. Store PUT = a file by path (multipart, 8 MiB parts × 4 in flight); bare PUT = one
 * PutObject of the bytes in memory. GET = the store's object streamed and counted, through the
 * store and through a bare GetObject (the same object: Swift reads a multipart object slower than
 * a single one, which is not the store's doing). NODE = the same object through the node's media
 * handler (`/api/v1/content/<hash>/original` on a loopback HTTP server), against Swift's own GET of
 * a presigned URL, whole and as 1 MiB ranges; REDIRECT = the same requests to a node with
 * S3_REDIRECT=public, each answered with a 302 to a presigned URL that fetch follows. Rounds alternate
 * store/bare so load swings on a shared machine hit both; medians are reported.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { readEnv } from '@/lib/config/env'
import { objectKey } from '@/lib/content/store/keys'
import { s3ContentStore } from '@/lib/content/store/s3'
import { createS3Client, type S3Settings, s3SettingsFromEnv } from '@/lib/content/store/s3-client'
import { startLocalS3 } from '@/lib/launcher/local-s3/server'
import { handleContentRequest } from '@/lib/streaming/http-server'
import { storeRedirectPolicy } from '@/lib/streaming/redirect'

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
const results = {
  storePut: [] as number[],
  barePut: [] as number[],
  storeGet: [] as number[],
  bareGet: [] as number[],
  nodeGet: [] as number[],
  directGet: [] as number[],
  nodeRanges: [] as number[],
  directRanges: [] as number[],
  redirectGet: [] as number[],
  redirectRanges: [] as number[],
}
const server = http.createServer((req, res) => void handleContentRequest(req, res, { authorize: async () => 'public', store, dataDir: dir }))
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const nodeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/content/${hash}/original`
const redirect = storeRedirectPolicy(
  readEnv({ ...process.env, CONTENT_STORE: 's3', S3_BUCKET: settings.bucket, S3_PREFIX: settings.prefix, S3_REDIRECT: 'public' }),
)
const redirecting = http.createServer((req, res) => void handleContentRequest(req, res, { authorize: async () => 'public', store, dataDir: dir, redirect }))
await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve))
const redirectUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/api/v1/content/${hash}/original`
const MiB = 1 << 20
async function fetchAll(url: string, range?: string): Promise<number> {
  const r = await fetch(url, { headers: range ? { range } : {} })
  const n = (await r.arrayBuffer()).byteLength
  if (n !== (range ? MiB : bytes.length)) throw new Error(`short read from ${url}: ${n} bytes`)
  return n
}
// 1 MiB ranges across the object, 4 at a time (a player's read-ahead).
async function ranges(url: string): Promise<void> {
  const starts = Array.from({ length: bytes.length / MiB }, (_, i) => i * MiB)
  for (let i = 0; i < starts.length; i += 4) await Promise.all(starts.slice(i, i + 4).map((s) => fetchAll(url, `bytes=${s}-${s + MiB - 1}`)))
}
for (let i = 0; i < rounds; i++) {
  results.storePut.push(await timed(() => store.put(hash, 'original', file)))
  results.barePut.push(
    await timed(() => client.send(new PutObjectCommand({ Bucket: settings.bucket, Key: objectKey(settings.prefix, hash, 'bare'), Body: bytes }))),
  )
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
  const direct = (await store.presignedGetUrl(hash, 'original', { expiresInSeconds: 600 }))!
  results.nodeGet.push(await timed(() => fetchAll(nodeUrl)))
  results.directGet.push(await timed(() => fetchAll(direct)))
  results.nodeRanges.push(await timed(() => ranges(nodeUrl)))
  results.directRanges.push(await timed(() => ranges(direct)))
  results.redirectGet.push(await timed(() => fetchAll(redirectUrl)))
  results.redirectRanges.push(await timed(() => ranges(redirectUrl)))
}
server.close()
redirecting.close()
await store.remove(hash)
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<keyof typeof results, number>
console.log(`${opt.mib} MiB × ${rounds} rounds, ${settings.endpoint ?? 'AWS'} (MiB/s, median)`)
console.log(`PUT store ${m.storePut.toFixed(0)}  bare ${m.barePut.toFixed(0)}  ratio ${(m.storePut / m.barePut).toFixed(2)}`)
console.log(`GET store ${m.storeGet.toFixed(0)}  bare ${m.bareGet.toFixed(0)}  ratio ${(m.storeGet / m.bareGet).toFixed(2)}`)
console.log(`GET via node ${m.nodeGet.toFixed(0)}  presigned direct ${m.directGet.toFixed(0)}  ratio ${(m.nodeGet / m.directGet).toFixed(2)}`)
console.log(
  `1 MiB ranges ×4 via node ${m.nodeRanges.toFixed(0)}  presigned direct ${m.directRanges.toFixed(0)}  ratio ${(m.nodeRanges / m.directRanges).toFixed(2)}`,
)
console.log(
  `GET via node's 302 ${m.redirectGet.toFixed(0)}  1 MiB ranges ×4 via 302 ${m.redirectRanges.toFixed(0)}  (ratios to direct ${(m.redirectGet / m.directGet).toFixed(2)}, ${(m.redirectRanges / m.directRanges).toFixed(2)})`,
)
client.destroy()
await local?.stop()
await rm(dir, { recursive: true, force: true })
