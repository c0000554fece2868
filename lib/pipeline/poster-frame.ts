import { access, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { PipelineError } from './errors'
import { posterShot, runStills } from './previews'
import type { ProbeFacts } from './probe'

/**
 * Renders the frame at `atMs` of the original as a poster: the same size, colour handling and JPEG
 * settings as the generated one. Written beside `outPath` and renamed into place, so a reader never
 * sees half a file and a crash leaves nothing under the final name.
 */
export async function renderPosterFrame(opts: { inputPath: string; probe: ProbeFacts; atMs: number; outPath: string; signal?: AbortSignal }): Promise<void> {
  const dir = path.dirname(opts.outPath)
  await mkdir(dir, { recursive: true })
  const partial = path.join(dir, `.${path.basename(opts.outPath, '.jpg')}.${process.pid}.partial.jpg`)
  try {
    await runStills(opts.inputPath, opts.probe, [{ ...posterShot(opts.probe, opts.atMs / 1000), out: partial }], opts.signal)
    const made = await access(partial).then(
      () => true,
      () => false,
    )
    // A seek past the last decodable frame yields no image and no error.
    if (!made) throw new PipelineError('ffmpeg', `no frame at ${opts.atMs} ms`)
    await rename(partial, opts.outPath)
  } finally {
    await rm(partial, { force: true })
  }
}
