import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { DASH_MANIFEST, FFMPEG_LOG, HLS_MASTER, ORIGINAL, PARTIAL_DIR } from '@/lib/content/layout'
import { workRoot } from '@/lib/content/paths'
import { type ContentStore, localContentStore } from '@/lib/content/store'
import { log } from '@/lib/log'
import { isPipelineOutput, partialDir, PipelineError } from '@/lib/pipeline'
import { contentTypeFor } from '@/lib/streaming/content-type'
import { eachLimited, LiveUpload } from './live-upload'

const wlog = log.child({ c: 'workspace' })
const PARALLEL_PUTS = 8
/** How often a running encode's work directory is looked at for playlist changes (local reads only). */
const LIVE_LOOK_MS = 250

/**
 * Where one encode attempt reads its input and writes its outputs, and how those reach the content
 * store. On local disk the pipeline works in the content directory itself. With a remote store it
 * works in a scratch directory of this node (`DATA_DIR/work`): the original is copied in, segments and
 * growing playlists go up as they are produced, and `finish` uploads the rest and checks the store.
 */
export interface Workspace {
  inputPath: string
  outDir: string
  /** A new segment is in the work directory. */
  onSegment(): void
  /** The outputs in outDir are complete and checked: make them the store's. Throws PipelineError. */
  finish(): Promise<void>
  /** The attempt failed (not aborted): leave its log where admins read it, drop what it stored. */
  failed(): Promise<void>
  /** Always last: frees this node's scratch space. */
  close(): Promise<void>
}

export async function openWorkspace(store: ContentStore, hash: string, signal: AbortSignal): Promise<Workspace> {
  if (store.kind === 'local') {
    const local = localContentStore()
    const noop = async () => {}
    return { inputPath: local.filePath(hash, ORIGINAL), outDir: local.filePath(hash, ''), onSegment() {}, finish: noop, failed: noop, close: noop }
  }
  return openRemoteWorkspace(store, hash, signal)
}

/** Whether an error came from the store rather than the media: systemic, so the session waits rather than fails. */
const storeFailure = (what: string, err: unknown) =>
  err instanceof PipelineError ? err : new PipelineError('unavailable', `content store: ${what}: ${(err as Error).message}`)

async function openRemoteWorkspace(store: ContentStore, hash: string, signal: AbortSignal): Promise<Workspace> {
  const outDir = path.join(workRoot(), `${hash}-${randomBytes(4).toString('hex')}`)
  const inputPath = path.join(outDir, ORIGINAL)
  const close = () => rm(outDir, { recursive: true, force: true })
  try {
    await mkdir(outDir, { recursive: true })
    // A new attempt starts clean, as on local disk: what an earlier (crashed) attempt stored goes.
    await removeStoredOutputs(store, hash)
    const read = await store.read(hash, ORIGINAL)
    if (!read) throw new PipelineError('unavailable', 'the original is missing from the content store')
    await pipeline(read.body, createWriteStream(inputPath), { signal })
  } catch (err) {
    await close()
    throw signal.aborted ? new PipelineError('cancelled', 'transcode cancelled') : storeFailure('cannot copy the original', err)
  }
  const live = new LiveUpload(store, hash, partialDir(outDir), signal)
  live.start(LIVE_LOOK_MS)
  return {
    inputPath,
    outDir,
    onSegment: () => live.poke(),
    async finish() {
      await live.stop()
      try {
        await uploadOutputs(store, hash, outDir, live.uploaded, signal)
      } catch (err) {
        throw signal.aborted ? new PipelineError('cancelled', 'transcode cancelled') : storeFailure('cannot upload the outputs', err)
      }
    },
    async failed() {
      await live.stop()
      await removeStoredOutputs(store, hash).catch((err) => wlog.warn({ err: (err as Error).message, hash }, 'could not remove a failed attempt’s outputs'))
      const logFile = path.join(outDir, FFMPEG_LOG)
      if (await stat(logFile).catch(() => null))
        await store.put(hash, FFMPEG_LOG, logFile).catch((err) => wlog.warn({ err: (err as Error).message, hash }, 'could not store the FFmpeg log'))
    },
    async close() {
      await live.stop()
      await close()
    },
  }
}

/** Every stored file of the pipeline's (segments, playlists, thumbnails, logs), the original kept. */
export async function removeStoredOutputs(store: ContentStore, hash: string): Promise<void> {
  const outputs = (await store.list(hash)).map((e) => e.relPath).filter(isPipelineOutput)
  if (outputs.length) await store.removeFiles(hash, outputs)
}

async function localFiles(dir: string, base = ''): Promise<{ relPath: string; size: number }[]> {
  const out: { relPath: string; size: number }[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = base ? `${base}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...(await localFiles(path.join(dir, entry.name), rel)))
    else if (entry.isFile()) out.push({ relPath: rel, size: (await stat(path.join(dir, entry.name))).size })
  }
  return out
}

/**
 * Uploads a finished encode: segments and thumbnails first (those the live upload sent are
 * skipped), media playlists next, the manifests last, so whoever finds a manifest finds all it
 * names. Then checks that the store holds every output at its size, and removes the growing playlists.
 */
async function uploadOutputs(store: ContentStore, hash: string, outDir: string, uploaded: ReadonlyMap<string, number>, signal: AbortSignal): Promise<void> {
  const files = (await localFiles(outDir)).filter(
    (f) => isPipelineOutput(f.relPath) && !/^\.|\.tmp$/.test(f.relPath), // work folders and half-written files stay here
  )
  const rank = (p: string) => (p === HLS_MASTER || p === DASH_MANIFEST ? 2 : p.endsWith('.m3u8') ? 1 : 0)
  for (const step of [0, 1, 2]) {
    const batch = files.filter((f) => rank(f.relPath) === step && uploaded.get(f.relPath) !== f.size)
    await eachLimited(batch, PARALLEL_PUTS, async (f) => {
      signal.throwIfAborted()
      await store.put(hash, f.relPath, path.join(outDir, f.relPath), { contentType: contentTypeFor(f.relPath) })
    })
  }
  const stored = new Map((await store.list(hash)).map((e) => [e.relPath, e.size]))
  const wrong = files.find((f) => stored.get(f.relPath) !== f.size)
  if (wrong) throw new PipelineError('unavailable', `content store: ${wrong.relPath} is ${stored.get(wrong.relPath) ?? 'missing'} bytes, not ${wrong.size}`)
  const growing = [...stored.keys()].filter((p) => p.startsWith(`${PARTIAL_DIR}/`))
  // Players still on the growing playlists are answered from the final ones once these are gone.
  if (growing.length) await store.removeFiles(hash, growing)
}
