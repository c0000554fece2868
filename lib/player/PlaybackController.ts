import { ChunkManager } from './ChunkManager'
import { expose, type Logger, playerLog } from './debug'
import { canPlayOriginal, HLS_TYPE, isMp4Family, type OriginalVerdict, originalVerdict, type PlayableView, planSource, type SourcePlan } from './source'
import { VideoStreamManager } from './VideoStreamManager'

// The streaming management layer as the player component uses it: picks the source for a view
// (ABR, chunked MSE, direct URL), falls back from chunks to the direct URL when chunk delivery
// fails, and moves to ABR at the current position once packaging is done. It drives a player
// through a small interface, so it does not depend on video.js.

export type SourceKind = 'abr' | 'direct' | 'chunked'

/** What the controller needs from the player (video.js in the app). */
export interface MediaPlayer {
  setSource(src: string, type: string): void
  currentTime(seconds?: number): number
  paused(): boolean
  play(): void
  pause(): void
  /** End of the seekable range (of the growing playlists: what is prepared so far), 0 when none. */
  seekableEnd(): number
  /** Runs `fn` once, the next time the media has loaded metadata. */
  onceLoaded(fn: () => void): void
  /** Runs `fn` once, the next time playback starts (after any seek the player makes by itself). */
  oncePlaying(fn: () => void): void
  mediaElement(): HTMLVideoElement
}

export type ControllerState =
  | { kind: 'starting' }
  | { kind: 'playing'; source: SourceKind }
  /** Processing, and this browser cannot play the original: wait for ABR. */
  | { kind: 'waiting'; reason: string }
  | { kind: 'failed'; reason: string }

/** A seek past the prepared part of the growing playlists, waiting for that part to exist. */
export interface PreparingSeek {
  /** Where the viewer asked to go (seconds). */
  at: number
  /** How far the stream is prepared now (seconds). */
  preparedTo: number
}

export interface ControllerOptions {
  onState?: (s: ControllerState) => void
  /** A held seek (shown as "still preparing this part"), or null once it is done or dropped. */
  onPreparing?: (p: PreparingSeek | null) => void
  /** Start here (seconds) once the media loads. */
  startAt?: number
  /** Start playing once loaded (default true; browsers may still refuse without a user gesture). */
  autoPlay?: boolean
  log?: Logger
  /** For tests and debugging: always play the original (also `localStorage['reelhouse:player:source'] = 'original'`). */
  preferOriginal?: boolean
  largeVideoBytes?: number
  fetch?: typeof fetch
}

export interface ControllerStats {
  source: SourceKind | null
  /** On the growing playlists (they stay the source after the session is stored). */
  growing: boolean
  state: ControllerState['kind']
  fallbackReason: string | null
  chunked: ReturnType<VideoStreamManager['getStats']> | null
}

export class PlaybackController {
  private source: SourceKind | null = null
  private currentSrc: string | null = null
  private state: ControllerState = { kind: 'starting' }
  private vsm: VideoStreamManager | null = null
  private unexpose: (() => void)[] = []
  private fallbackReason: string | null = null
  /** Playing the growing playlists: once stored, the same URLs answer with the final ones. */
  private growing = false
  private held: { at: number; resume: boolean; timer: ReturnType<typeof setInterval> } | null = null
  private destroyed = false
  private directType = 'video/mp4'
  private readonly log: Logger
  /** Kept after a fallback so the console still shows what chunk delivery did. */
  private lastChunkStats: ReturnType<VideoStreamManager['getStats']> | null = null

  constructor(
    private readonly player: MediaPlayer,
    private view: PlayableView,
    private readonly opts: ControllerOptions = {},
  ) {
    this.log = opts.log ?? playerLog('Video')
  }

  get currentSource(): SourceKind | null {
    return this.source
  }

  async start(): Promise<void> {
    const plan = this.plan(this.view)
    this.log.debug('source plan', plan)
    if (plan.kind === 'failed') return this.setState({ kind: 'failed', reason: plan.reason })
    if (plan.kind === 'abr') return this.play('abr', plan.src, plan.type, this.opts.startAt)
    if (plan.kind === 'growing') return this.playGrowing(plan.src)
    if (plan.kind === 'waiting') return this.setState({ kind: 'waiting', reason: plan.reason })

    const mime = await this.headType(plan.src)
    if (this.destroyed) return
    const el = this.player.mediaElement()
    if (!canPlayOriginal(mime, (t) => el.canPlayType(t))) {
      // The packager's growing playlists play while it works; otherwise wait for it.
      if (plan.growingHls) return this.playGrowing(plan.growingHls)
      return this.setState({
        kind: 'waiting',
        reason: `This browser cannot play the original (${mime ?? 'unknown type'}); it will play once processing is done.`,
      })
    }
    this.directType = mime && isMp4Family(mime) ? 'video/mp4' : (mime ?? 'video/mp4')
    if (plan.tryChunks && isMp4Family(mime)) {
      if (await this.startChunked(plan.src)) return
    }
    this.play('direct', plan.src, this.directType, this.opts.startAt)
  }

  /**
   * A newer view while processing (pushed or polled): a player still waiting for an unplayable
   * original starts on the growing playlists as soon as they exist.
   */
  update(view: PlayableView): void {
    this.view = view
    if (this.destroyed || this.state.kind !== 'waiting') return
    const plan = this.plan(view)
    if (plan.kind === 'growing') this.playGrowing(plan.src)
    else if (plan.kind === 'abr') this.play('abr', plan.src, plan.type, this.opts.startAt)
  }

  /**
   * Packaging finished: continue on ABR (the final manifest) from where playback is now. A player on
   * the growing playlists keeps them: their URLs serve the finished playlists, whose end tag the
   * player picks up at its next refresh, so the event playlist turns into VOD in place (same
   * MediaSource, position, buffer and quality) instead of a reload that empties the element.
   */
  switchToAbr(view: PlayableView): void {
    this.view = view
    if (this.destroyed) return
    // Only while it plays: a growing stream that never got going is reloaded as the final one.
    if (this.growing && this.source === 'abr' && this.player.mediaElement().readyState >= 2) {
      this.log.debug('stored: the growing playlists continue as the final ones')
      return
    }
    const plan = this.plan(view, readPreference() === 'original')
    if (plan.kind !== 'abr' || (this.source === 'abr' && this.currentSrc === plan.src)) return
    const at = this.state.kind === 'playing' ? this.player.currentTime() : (this.opts.startAt ?? 0)
    const resume = this.state.kind !== 'playing' || !this.player.paused()
    this.log.debug(`switching to ABR at ${at.toFixed(2)} s`)
    this.dropChunked()
    this.play('abr', plan.src, plan.type, at, resume)
  }

  /**
   * Where a seek to `t` goes now (every seek of the player passes here): `t` itself, unless it lies
   * past what the growing playlists have prepared. Then the seek is held (playback pauses, the
   * "preparing" state shows) and made once that part exists; meanwhile the position stays.
   */
  seekTarget(t: number): number {
    if (!this.growing || this.destroyed) {
      this.dropHeldSeek()
      return t
    }
    const preparedTo = this.player.seekableEnd()
    // Within what exists (a little slack: the seekable end lags the newest segment).
    if (t <= preparedTo + 1) {
      this.dropHeldSeek()
      return t
    }
    const resume = this.held?.resume ?? !this.player.paused()
    this.dropHeldSeek()
    this.player.pause()
    const timer = setInterval(() => this.retryHeldSeek(), 500)
    this.held = { at: t, resume, timer }
    this.log.debug(`seek to ${t.toFixed(1)} s held: prepared up to ${preparedTo.toFixed(1)} s`)
    this.opts.onPreparing?.({ at: t, preparedTo })
    return this.player.currentTime()
  }

  private retryHeldSeek(): void {
    const held = this.held
    if (!held || this.destroyed) return
    const preparedTo = this.player.seekableEnd()
    if (this.growing && held.at > preparedTo + 1) {
      this.opts.onPreparing?.({ at: held.at, preparedTo })
      return
    }
    this.dropHeldSeek()
    this.player.currentTime(held.at)
    if (held.resume) this.player.play()
  }

  private dropHeldSeek(): void {
    if (!this.held) return
    clearInterval(this.held.timer)
    this.held = null
    this.opts.onPreparing?.(null)
  }

  getStats(): ControllerStats {
    return {
      source: this.source,
      growing: this.growing,
      state: this.state.kind,
      fallbackReason: this.fallbackReason,
      chunked: this.vsm?.getStats() ?? this.lastChunkStats,
    }
  }

  destroy(): void {
    this.dropHeldSeek()
    this.destroyed = true
    this.dropChunked()
    for (const u of this.unexpose) u()
    this.unexpose = []
  }

  private plan(view: PlayableView, preferOriginal = this.opts.preferOriginal ?? readPreference() === 'original'): SourcePlan {
    return planSource(view, {
      mediaSource: VideoStreamManager.isSupported(),
      preferOriginal,
      largeVideoBytes: this.opts.largeVideoBytes,
      original: this.verdict(view),
    })
  }

  private verdict(view: PlayableView): OriginalVerdict {
    const el = this.player.mediaElement()
    const ms = typeof MediaSource === 'undefined' ? undefined : MediaSource
    return originalVerdict(view.playback, { canPlayType: (t) => el.canPlayType(t), isTypeSupported: ms && ((t) => ms.isTypeSupported(t)) })
  }

  /**
   * The growing playlists are an event playlist: players start those at the live edge, but a viewer
   * of a fresh upload wants it from the start (or where asked), so the first start is moved there.
   */
  private playGrowing(src: string): void {
    const at = this.opts.startAt ?? 0
    this.play('abr', src, HLS_TYPE, at)
    this.growing = true
    this.player.oncePlaying(() => {
      if (!this.destroyed && this.currentSrc === src && Math.abs(this.player.currentTime() - at) > 0.5) this.player.currentTime(at)
    })
  }

  private async startChunked(url: string): Promise<boolean> {
    const chunkManager = new ChunkManager()
    const vsm = new VideoStreamManager({ url, chunkManager, durationSec: durationOf(this.view) })
    this.vsm = vsm
    this.unexpose.push(expose('chunkManager', chunkManager), expose('videoStreamManager', vsm))
    const probe = await vsm.probe()
    if (this.destroyed || this.vsm !== vsm) return true
    if (!probe.ok) {
      this.fallbackReason = probe.reason
      this.dropChunked()
      return false
    }
    vsm.setCallbacks({
      onStreamError: (err) => this.fallbackToDirect(url, err.message),
      onStreamComplete: () => this.log.debug('chunked stream complete'),
    })
    try {
      await vsm.attach(this.player.mediaElement(), (objectUrl) => this.player.setSource(objectUrl, 'video/mp4'))
    } catch (err) {
      this.fallbackToDirect(url, (err as Error).message)
      return true
    }
    if (this.destroyed || this.vsm !== vsm) return true
    this.source = 'chunked'
    this.currentSrc = url
    this.afterLoad(this.opts.startAt, this.opts.autoPlay ?? true)
    this.setState({ kind: 'playing', source: 'chunked' })
    return true
  }

  /** Chunk delivery failed: the browser's own range requests take over at the same position. */
  private fallbackToDirect(url: string, reason: string): void {
    if (this.destroyed || this.source === 'abr' || this.source === 'direct') return
    this.log.warn(`chunked streaming failed (${reason}); falling back to direct streaming`)
    this.fallbackReason = reason
    const at = this.source === 'chunked' ? this.player.currentTime() : (this.opts.startAt ?? 0)
    const resume = this.source !== 'chunked' || !this.player.paused()
    this.dropChunked()
    this.play('direct', url, this.directType, at, resume)
  }

  private play(kind: SourceKind, src: string, type: string, at?: number, resume = this.opts.autoPlay ?? true): void {
    this.growing = false
    this.source = kind
    this.currentSrc = src
    this.player.setSource(src, type)
    this.afterLoad(at, resume)
    this.setState({ kind: 'playing', source: kind })
  }

  private afterLoad(at: number | undefined, resume: boolean): void {
    this.player.onceLoaded(() => {
      if (this.destroyed) return
      if (at && at > 0) this.player.currentTime(at)
      if (resume) this.player.play()
    })
  }

  private dropChunked(): void {
    if (!this.vsm) return
    this.lastChunkStats = this.vsm.getStats()
    this.vsm.destroy()
    this.vsm = null
  }

  private async headType(url: string): Promise<string | null> {
    try {
      const res = await (this.opts.fetch ?? fetch)(url, { method: 'HEAD', credentials: 'same-origin' })
      return res.ok ? res.headers.get('content-type') : null
    } catch {
      return null
    }
  }

  private setState(s: ControllerState): void {
    this.state = s
    this.opts.onState?.(s)
  }
}

function durationOf(view: PlayableView): number | null {
  const ms = (view as { durationMs?: number | null }).durationMs
  return ms ? ms / 1000 : null
}

function readPreference(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem('reelhouse:player:source')
  } catch {
    return null
  }
}
