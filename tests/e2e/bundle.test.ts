import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// The web process serves pages, the API and media bytes; FFmpeg runs only in the worker. Pipeline
// code that reaches the web bundle (through an import of a shared constant, say) brings process
// spawning and untrusted-media handling with it. The e2e set-up has just built the bundle.

const SERVER_BUNDLE = path.join('.next', 'server')
/** Modules only the worker may load. */
const WORKER_ONLY = /(^|\/)lib\/(pipeline|transcode)\//
// Argument strings only the FFmpeg invocations contain (safe input options, the ladder filter, the probe).
const FFMPEG_MARKERS = ['-protocol_whitelist', '-filter_complex', '-show_streams']

async function* files(dir: string, suffix: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) yield* files(full, suffix)
    else if (e.name.endsWith(suffix)) yield full
  }
}

interface SourceMap {
  sources?: string[]
  sections?: { map: SourceMap }[]
}

const sourcesOf = (map: SourceMap): string[] => [...(map.sources ?? []), ...(map.sections ?? []).flatMap((s) => sourcesOf(s.map))]

describe('the Next server bundle', () => {
  // Tree shaking may drop the code of a module whose import it keeps; the source maps name every
  // module that went into a chunk, so they show the import itself.
  it('is built from no pipeline or transcode module', async () => {
    const offenders = new Set<string>()
    let maps = 0
    for await (const file of files(SERVER_BUNDLE, '.js.map')) {
      maps++
      const map = JSON.parse(await readFile(file, 'utf8')) as SourceMap
      for (const source of sourcesOf(map)) if (WORKER_ONLY.test(source)) offenders.add(source.replace(/^(\.\.\/)+/, ''))
    }
    expect(maps).toBeGreaterThan(10)
    expect([...offenders].sort()).toEqual([])
  })

  it('holds no FFmpeg invocation', async () => {
    const offenders: string[] = []
    for await (const file of files(SERVER_BUNDLE, '.js')) {
      const text = await readFile(file, 'utf8')
      const found = FFMPEG_MARKERS.filter((m) => text.includes(`'${m}'`) || text.includes(`"${m}"`))
      if (found.length) offenders.push(`${file}: ${found.join(', ')}`)
    }
    expect(offenders).toEqual([])
  })
})
