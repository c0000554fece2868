import { readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { DASH_MANIFEST, HLS_MASTER, LOGS_DIR, PARTIAL_DIR, STREAMS_DIR, THUMBS_DIR, THUMBS_PARTIAL_DIR } from '@/lib/content/layout'

// What the pipeline does with its files in a content directory (names in lib/content/layout.ts).
// Files the pipeline does not own (the upload `original`, `meta.json`) are never touched.

const MANAGED_FILE = /^(manifest\.mpd|master\.m3u8|media_\d+\.m3u8)(\.tmp)?$/
const MANAGED_DIRS = new Set([STREAMS_DIR, THUMBS_DIR, LOGS_DIR, PARTIAL_DIR, THUMBS_PARTIAL_DIR])

/** Whether a file of a content (path under its hash) is the pipeline's, i.e. what a new attempt replaces. */
export function isPipelineOutput(relPath: string): boolean {
  const first = relPath.split('/')[0]
  return MANAGED_DIRS.has(first) || (first === relPath && MANAGED_FILE.test(relPath))
}

export function partialDir(outDir: string): string {
  return path.join(outDir, PARTIAL_DIR)
}

export function thumbsPartialDir(outDir: string): string {
  return path.join(outDir, THUMBS_PARTIAL_DIR)
}

/** Removes every pipeline output of an earlier attempt, so a retry after a crash starts clean. */
export async function removePipelineOutputs(outDir: string): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(outDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  await Promise.all(entries.filter((e) => MANAGED_FILE.test(e) || MANAGED_DIRS.has(e)).map((e) => rm(path.join(outDir, e), { recursive: true, force: true })))
}

/**
 * Moves a finished encode from the work directory into outDir. Segments move first and the manifests
 * last, so whoever sees `manifest.mpd`/`master.m3u8` in outDir sees complete outputs.
 */
export async function promotePartial(outDir: string): Promise<void> {
  const work = partialDir(outDir)
  const entries = await readdir(work)
  const order = (e: string) => (e === DASH_MANIFEST || e === HLS_MASTER ? 2 : e.endsWith('.m3u8') ? 1 : 0)
  const sorted = entries.filter((e) => !e.endsWith('.tmp')).sort((a, b) => order(a) - order(b))
  for (const e of sorted) {
    const to = path.join(outDir, e)
    await rm(to, { recursive: true, force: true })
    await rename(path.join(work, e), to)
  }
  await rm(work, { recursive: true, force: true })
}
