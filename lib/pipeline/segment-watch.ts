import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { SEGMENT_RE, segmentPath } from '@/lib/content/layout'
import { parseHlsMediaPlaylist } from './manifests'
import type { PlannedRendition } from './transcode-plan'

export interface SegmentReady {
  representationId: number
  rendition: string
  kind: 'video' | 'audio'
  /** 1-based segment number. */
  number: number
  /** Relative path, e.g. streams/0/seg-00001.m4s (under partialDir while encoding). */
  path: string
  segmentsReady: number
  segmentsTotal: number
}

export interface Playable {
  /** Directory to serve while the session runs; its master.m3u8 lists what is ready (growing playlists). */
  partialDir: string
  elapsedMs: number
}

/**
 * Watches the encode's work directory for completed segments (the muxer renames each one into
 * place only once it is complete) and for the moment every rendition's playlist lists its first
 * segment. One scan at a time; `scan()` may also be called directly for a final pass.
 */
export class SegmentWatch {
  segmentsReady = 0
  segmentsTotal: number
  firstPlayableMs: number | null = null
  private readonly seen: Map<number, number>
  private scanning: Promise<void> | null = null
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly work: string,
    private readonly renditions: PlannedRendition[],
    estimatedTotal: number,
    private readonly events: {
      elapsedMs: () => number
      onSegment: (s: SegmentReady) => void
      onPlayable: (p: Playable) => void
      onScanError: (err: unknown) => void
      /** Finishes the master FFmpeg wrote (our audio group) before any player sees it; false while it is missing. */
      prepareMaster: () => Promise<boolean>
    },
  ) {
    this.segmentsTotal = estimatedTotal
    this.seen = new Map(renditions.map((r) => [r.id, 0]))
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.scan().catch(this.events.onScanError), everyMs)
  }

  /** Stops the timer and waits for a scan in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.scanning?.catch(() => undefined)
  }

  scan(): Promise<void> {
    this.scanning ??= this.scanOnce().finally(() => {
      this.scanning = null
    })
    return this.scanning
  }

  private async scanOnce(): Promise<void> {
    for (const r of this.renditions) {
      let names: string[]
      try {
        names = await readdir(path.join(this.work, r.dir))
      } catch {
        continue
      }
      const numbers = names
        .map((n) => Number(SEGMENT_RE.exec(n)?.[1] ?? 0))
        .filter((n) => n > 0)
        .sort((a, b) => a - b)
      const have = this.seen.get(r.id) ?? 0
      for (const n of numbers.filter((k) => k > have)) {
        this.seen.set(r.id, n)
        this.segmentsReady++
        this.segmentsTotal = Math.max(this.segmentsTotal, this.segmentsReady)
        this.events.onSegment({
          representationId: r.id,
          rendition: r.name,
          kind: r.kind,
          number: n,
          path: segmentPath(r.id, n),
          segmentsReady: this.segmentsReady,
          segmentsTotal: this.segmentsTotal,
        })
      }
    }
    if (this.firstPlayableMs === null && this.renditions.every((r) => (this.seen.get(r.id) ?? 0) > 0) && (await this.everyPlaylistListsASegment())) {
      this.firstPlayableMs = Math.round(this.events.elapsedMs())
      this.events.onPlayable({ partialDir: this.work, elapsedMs: this.firstPlayableMs })
    }
  }

  private async everyPlaylistListsASegment(): Promise<boolean> {
    const listed = await Promise.all(
      this.renditions.map((r) =>
        readFile(path.join(this.work, r.playlist), 'utf8').then(
          (t) => parseHlsMediaPlaylist(t).segments.length > 0,
          () => false,
        ),
      ),
    )
    return listed.every(Boolean) && (await this.events.prepareMaster())
  }
}
