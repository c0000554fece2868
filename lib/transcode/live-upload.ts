import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { HLS_MASTER, isPlayerFile, PARTIAL_DIR } from '@/lib/content/layout'
import type { ContentStore } from '@/lib/content/store'
import { log } from '@/lib/log'
import { parseHlsMaster, parseHlsMediaPlaylist } from '@/lib/pipeline/manifests'
import { contentTypeFor } from '@/lib/streaming/content-type'

const llog = log.child({ c: 'live-upload' })
const PARALLEL_PUTS = 4

/** Runs `fn` over `items`, `limit` at a time. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) await fn(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}

/**
 * Copies a running encode's outputs to a remote store as they appear, so a player on the growing
 * playlists plays through any node. Each pass reads the playlists first, uploads the segments they
 * list to their final names, then the playlists as read under `.partial/`: a stored playlist never
 * lists a segment the store lacks. One pass at a time; asking during a pass runs one more after it.
 */
export class LiveUpload {
  /** Files already at their final names, with the size uploaded. */
  readonly uploaded = new Map<string, number>()
  private running: Promise<void> | null = null
  private again = false
  /** Playlist texts as last stored, so an unchanged one is not sent again. */
  private readonly sent = new Map<string, string>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly store: ContentStore,
    private readonly hash: string,
    /** The encode's work directory (`<outDir>/.partial`). */
    private readonly work: string,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * Also looks every `everyMs` on its own: the muxer lists a segment in its playlist a moment after
   * the segment file appears, and that moment would otherwise wait for the next segment.
   */
  start(everyMs: number): void {
    this.timer ??= setInterval(() => this.poke(), everyMs)
  }

  /** Stops looking on its own, and waits for the pass in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.settle()
  }

  /** A new segment exists: upload what the playlists list now. */
  poke(): void {
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.loop().finally(() => {
      this.running = null
    })
  }

  /** Waits for the pass in flight (and the one asked for during it). */
  async settle(): Promise<void> {
    while (this.running) await this.running
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      // A failed pass only delays live playback: the next pass, or the final upload, sends the files again.
      // ENOENT: the encode completed and its files moved out of the work directory meanwhile.
      await this.pass().catch((err) => {
        const level = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'debug' : 'warn'
        llog[level]({ err: (err as Error).message, hash: this.hash }, 'live upload pass failed')
      })
    } while (this.again && !this.signal.aborted)
  }

  private async pass(): Promise<void> {
    const master = await this.text(HLS_MASTER)
    if (master === null) return
    const parsed = parseHlsMaster(master)
    const names = [...new Set([...parsed.variants.map((v) => v.uri), ...parsed.media.map((m) => m.uri)])].filter(isPlayerFile)
    const playlists: [string, string][] = []
    for (const name of names) {
      const text = await this.text(name)
      if (text !== null) playlists.push([name, text])
    }
    const files = new Set<string>()
    for (const [, text] of playlists) {
      const media = parseHlsMediaPlaylist(text)
      for (const uri of [media.map, ...media.segments.map((s) => s.uri)]) if (uri && isPlayerFile(uri) && !this.uploaded.has(uri)) files.add(uri)
    }
    await eachLimited([...files], PARALLEL_PUTS, async (relPath) => {
      if (this.signal.aborted) return
      const file = path.join(this.work, relPath)
      const { size } = await stat(file)
      await this.store.put(this.hash, relPath, file, { contentType: contentTypeFor(relPath) })
      this.uploaded.set(relPath, size)
    })
    if (this.signal.aborted || [...files].some((f) => !this.uploaded.has(f))) return
    const putText = async (name: string, text: string) => {
      if (this.sent.get(name) === text) return
      await this.store.put(this.hash, `${PARTIAL_DIR}/${name}`, Readable.from([Buffer.from(text)]), { contentType: contentTypeFor(name) })
      this.sent.set(name, text)
    }
    await Promise.all(playlists.map(([name, text]) => putText(name, text)))
    // The master last: whoever finds it finds the media playlists it names.
    await putText(HLS_MASTER, master)
  }

  private text(name: string): Promise<string | null> {
    return readFile(path.join(this.work, name), 'utf8').catch(() => null)
  }
}
