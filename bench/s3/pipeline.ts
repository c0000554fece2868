/**
 * One encode with its content on local disk against the same encode with its content in S3, in the
 * same run: from the original being stored to the first ABR segment of every rendition being
 * playable, and to the outputs being stored; and FFmpeg's own encode speed (media time / its wall).
 *
 *   npx tsx bench/s3/pipeline.ts [--rounds 2] [--seconds 20] [--size 1280x720]
 *
 * Target: the S3 named by CONTENT_STORE=s3 and the S3_* variables, or else a local Swift started here.
 * The code is the worker's own (`openWorkspace` + `processContent` + `finish`), without the database.
 * "playable" on S3 = what a player polling the bucket (every 200 ms) sees: `.partial/master.m3u8` and every media
 * playlist it names listing a segment; on local disk = the pipeline's own moment (the same check on
 * the work directory). Rounds alternate local/S3 so load swings on a shared machine hit both; medians.
 * Goals: S3/local ≤ 1.2× for both times, encode speed S3/local ≥ 0.95.
 */
import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { appendFile, copyFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const { values: opt } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, seconds: { type: 'string', default: '20' }, size: { type: 'string', default: '1280x720' } },
})
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-s3-pipeline-'))
// The worker's scratch and local content live here; set before anything reads the environment.
process.env.DATA_DIR = path.join(dir, 'data')

const { readEnv } = await import('@/lib/config/env')
const { HLS_MASTER, PARTIAL_DIR } = await import('@/lib/content/layout')
const { localContentStore, readStoredFile, writeHashed } = await import('@/lib/content/store')
const { s3ContentStore } = await import('@/lib/content/store/s3')
const { s3SettingsFromEnv } = await import('@/lib/content/store/s3-client')
const { startLocalS3 } = await import('@/lib/launcher/local-s3/server')
const { processContent, loadStreamingConfig } = await import('@/lib/pipeline')
const { parseHlsMaster, parseHlsMediaPlaylist } = await import('@/lib/pipeline/manifests')
const { openWorkspace } = await import('@/lib/transcode/workspace')
type Store = ReturnType<typeof localContentStore> | ReturnType<typeof s3ContentStore>

const env = readEnv()
const s3 = env.CONTENT_STORE === 's3' ? null : await startLocalS3({ dir: path.join(dir, 's3'), bucket: 'bench' })
const remote = s3ContentStore(s3?.settings ?? s3SettingsFromEnv(env))
const local = localContentStore()
const config = loadStreamingConfig()

const clip = path.join(dir, 'clip.mp4')
execFileSync('ffmpeg', [
  ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${opt.size}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
  ...['-t', opt.seconds, '-c:v', 'libx264', '-preset', 'superfast', '-crf', '21', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
])

/** What a player sees in the bucket: the growing master and a segment in every playlist it names. */
async function playableInBucket(hash: string): Promise<boolean> {
  const master = await readStoredFile(remote, hash, `${PARTIAL_DIR}/${HLS_MASTER}`).catch(() => null)
  if (!master) return false
  const names = parseHlsMaster(master.toString()).variants.map((v) => v.uri)
  const lists = await Promise.all(names.map((n) => readStoredFile(remote, hash, `${PARTIAL_DIR}/${n}`).catch(() => null)))
  return lists.every((l) => l && parseHlsMediaPlaylist(l.toString()).segments.length > 0)
}

interface Sample {
  playableS: number
  storedS: number
  speed: number
  /** Original copied in (S3: from the bucket), and playable in the work directory. */
  readyS: number
  workPlayableS: number
}

async function once(store: Store, round: number): Promise<Sample> {
  // Distinct bytes per run (content is addressed by hash): the clip plus a trailing byte FFmpeg ignores.
  const copy = path.join(dir, `in-${store.kind}-${round}.mp4`)
  await copyFile(clip, copy)
  await appendFile(copy, Buffer.from([round, store.kind === 's3' ? 1 : 0]))
  const temp = path.join(dir, `temp-${store.kind}-${round}`)
  const { hash } = await writeHashed(createReadStream(copy), temp)
  await store.importOriginal(temp, hash)
  const t0 = performance.now()
  const since = () => (performance.now() - t0) / 1000
  const signal = new AbortController().signal
  const seen: { playableS: number | null; workPlayableS: number } = { playableS: null, workPlayableS: 0 }
  let polling = store.kind === 's3'
  const poll = (async () => {
    while (polling) {
      if (await playableInBucket(hash)) {
        seen.playableS = since()
        return
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  })()
  const workspace = await openWorkspace(store, hash, signal)
  const readyS = since()
  try {
    const result = await processContent({
      inputPath: workspace.inputPath,
      outDir: workspace.outDir,
      config,
      signal,
      onSegment: () => workspace.onSegment(),
      onPlayable: () => {
        seen.workPlayableS = since()
        if (store.kind === 'local') seen.playableS = seen.workPlayableS
      },
    })
    await workspace.finish()
    const storedS = since()
    polling = false
    await poll
    if (seen.playableS === null) throw new Error(`${store.kind}: never playable before stored`)
    return { playableS: seen.playableS, storedS, speed: result.encode.speed, readyS, workPlayableS: seen.workPlayableS }
  } finally {
    polling = false
    await workspace.close()
    await store.remove(hash)
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const samples: Record<'local' | 's3', Sample[]> = { local: [], s3: [] }
for (let i = 0; i < Number(opt.rounds); i++) {
  for (const store of i % 2 ? [remote, local] : [local, remote]) {
    const s = await once(store as Store, i)
    samples[store.kind].push(s)
    console.log(
      `round ${i + 1} ${store.kind.padEnd(5)} input ready ${s.readyS.toFixed(2)} s  playable in work dir ${s.workPlayableS.toFixed(2)} s  playable ${s.playableS.toFixed(2)} s  stored ${s.storedS.toFixed(2)} s  encode ${s.speed.toFixed(2)}× realtime`,
    )
  }
}
const m = (k: 'local' | 's3', f: keyof Sample) => median(samples[k].map((s) => s[f]))
console.log(`\n${opt.seconds} s ${opt.size} clip, ${opt.rounds} rounds, S3 at ${(s3?.settings ?? s3SettingsFromEnv(env)).endpoint ?? 'AWS'} (medians)`)
for (const [label, f] of [
  ['stored → first ABR segment playable', 'playableS'],
  ['stored → outputs STORED', 'storedS'],
] as const) {
  console.log(
    `${label}: local ${m('local', f).toFixed(2)} s  S3 ${m('s3', f).toFixed(2)} s  S3/local ${(m('s3', f) / m('local', f)).toFixed(2)}× (goal ≤ 1.2×)`,
  )
}
console.log(
  `encode speed: local ${m('local', 'speed').toFixed(2)}×  S3 ${m('s3', 'speed').toFixed(2)}×  S3/local ${(m('s3', 'speed') / m('local', 'speed')).toFixed(2)} (goal ≥ 0.95)`,
)
await s3?.stop()
await rm(dir, { recursive: true, force: true })
