import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { env } from '@/lib/config/env'
import { framePath, ORIGINAL } from '@/lib/content/layout'
import { workRoot } from '@/lib/content/paths'
import { contentStore, localContentStore } from '@/lib/content/store'
import { db } from '@/lib/db'
import { log } from '@/lib/log'
import { renderPosterFrame } from '@/lib/pipeline/poster-frame'
import type { ProbeFacts } from '@/lib/pipeline/probe'
import { POSTER_CHANNEL } from '@/lib/queue/channels'
import { POSTER_POLICY } from '@/lib/queue/policy'
import { type ClaimedPosterRender, claimPosterRender, failPosterRender, finishPosterRender } from '@/lib/queue/posters'

// The worker's poster loop: renders each requested frame from the stored original into the
// content's frames/ (a frame of the content is the same for every video sharing it, and a new name
// per time keeps the immutable-URL rule), then points the video's poster at it.

/** One claimed request through FFmpeg; 'skipped' when the video or its original is gone. */
export async function renderClaimedPoster(claim: ClaimedPosterRender, signal?: AbortSignal): Promise<'done' | 'superseded' | 'skipped'> {
  const video = await db.video.findUnique({ where: { id: claim.videoId }, include: { content: true } })
  if (!video || video.content.state !== 'STORED' || !video.content.probe) return 'skipped'
  const hash = video.contentHash
  const rel = framePath(claim.atMs)
  const render = (inputPath: string, outPath: string) =>
    renderPosterFrame({ inputPath, probe: video.content.probe as unknown as ProbeFacts, atMs: claim.atMs, outPath, signal })
  const store = contentStore()
  if (store.kind === 'local') {
    const local = localContentStore()
    await render(local.filePath(hash, ORIGINAL), local.filePath(hash, rel))
  } else {
    // A remote store: the original comes into this node's scratch space, the frame goes up.
    const dir = path.join(workRoot(), `poster-${hash}-${randomBytes(4).toString('hex')}`)
    try {
      await mkdir(dir, { recursive: true })
      const read = await store.read(hash, ORIGINAL)
      if (!read) return 'skipped'
      await pipeline(read.body, createWriteStream(path.join(dir, ORIGINAL)), { signal })
      await render(path.join(dir, ORIGINAL), path.join(dir, 'frame.jpg'))
      await store.put(hash, rel, path.join(dir, 'frame.jpg'), { contentType: 'image/jpeg' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
  return (await finishPosterRender(claim, rel)) ? 'done' : 'superseded'
}

/** Claims and renders until `signal` aborts; NOTIFY wakes it, polling is the fallback. Resolves once stopped. */
export async function startPosterRenders(opts: { signal: AbortSignal; workerId: string }): Promise<void> {
  let wake: (() => void) | null = null
  const listener = await listen(() => wake?.())
  const onAbort = () => wake?.()
  opts.signal.addEventListener('abort', onAbort)
  try {
    while (!opts.signal.aborted) {
      const claim = await claimPosterRender(opts.workerId).catch((err) => {
        log.error({ err }, 'poster claim failed')
        return null
      })
      if (claim) {
        try {
          const outcome = await renderClaimedPoster(claim, opts.signal)
          if (outcome === 'skipped') await finishPosterRender(claim, null).catch(() => {})
          log.info({ video: claim.videoId, atMs: claim.atMs, outcome }, 'poster render done')
        } catch (err) {
          log.warn({ err, video: claim.videoId, attempt: claim.attempts }, 'poster render failed')
          await failPosterRender(claim, (err as Error).message ?? String(err)).catch(() => {})
        }
        continue
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(finish, POSTER_POLICY.pollEveryMs)
        function finish() {
          clearTimeout(t)
          wake = null
          resolve()
        }
        wake = finish
      })
    }
  } finally {
    opts.signal.removeEventListener('abort', onAbort)
    await listener?.end().catch(() => {})
  }
}

async function listen(onNotify: () => void): Promise<pg.Client | null> {
  const url = env().DATABASE_URL
  if (!url) return null
  const client = new pg.Client({ connectionString: url })
  client.on('error', (err) => log.warn({ err: err.message }, 'poster listen connection lost; polling only'))
  client.on('notification', (msg) => {
    if (msg.channel === POSTER_CHANNEL) onNotify()
  })
  try {
    await client.connect()
    await client.query(`LISTEN ${POSTER_CHANNEL}`)
    return client
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'cannot listen for poster requests; polling only')
    await client.end().catch(() => {})
    return null
  }
}
