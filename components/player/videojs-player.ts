import videojs from 'video.js'
import type { MediaPlayer } from '@/lib/player/PlaybackController'
import type { QualityLevelListLike } from '@/lib/player/quality'
import { VHS_OPTIONS } from '@/lib/player/vhs-options'
import { loadVolume, saveVolume } from '@/lib/player/volume'

export type Player = ReturnType<typeof videojs>

export type QualityLevels = QualityLevelListLike & {
  on(type: string, fn: () => void): void
  off(type: string, fn: () => void): void
}

/** Where the control bar hosts our own React parts. */
export interface ControlSlots {
  quality: HTMLElement
  preview: HTMLElement
}

/**
 * Whether playback has started. video.js's `hasStarted()` getter is not in its typings (only the
 * setter is), so read the class it maintains, which is public API.
 */
export const hasStarted = (p: Player): boolean => p.hasClass('vjs-has-started')

/** VHS's quality levels: video.js 8 ships the plugin, its typings do not declare it. */
export const qualityLevels = (p: Player): QualityLevels | undefined => (p as unknown as { qualityLevels?: () => QualityLevels }).qualityLevels?.()

export const mediaElement = (p: Player): HTMLVideoElement => p.tech(true).el() as HTMLVideoElement

/** A video.js player in `host`, with the remembered volume and the control-bar slots. */
export function createPlayer(host: HTMLElement, opts: { title: string; poster?: string | null; muted?: boolean }): { player: Player; slots: ControlSlots } {
  const el = document.createElement('video-js')
  el.className = 'vjs-reelhouse vjs-big-play-centered'
  el.setAttribute('playsinline', '')
  el.setAttribute('aria-label', `Video player: ${opts.title}`)
  host.appendChild(el)
  const volume = loadVolume()
  const p = videojs(el, {
    controls: true,
    autoplay: false,
    preload: 'auto',
    fill: true,
    // Layout classes by player width: on phones the time displays, rate and volume slider give way to the progress bar.
    responsive: true,
    poster: opts.poster ?? undefined,
    playbackRates: [0.5, 1, 1.25, 1.5, 2],
    enableSmoothSeeking: true,
    // The growing playlists are an open event playlist: show a seek bar over what is prepared (not just "LIVE").
    liveui: true,
    // Text tracks drawn by video.js rather than the browser: the same caption style everywhere, kept above the control bar.
    html5: { vhs: VHS_OPTIONS, nativeAudioTracks: false, nativeVideoTracks: false, nativeTextTracks: false },
    userActions: { hotkeys: false, doubleClick: true },
  })
  // The growing playlists are an event playlist watched from the start (or where asked): video.js
  // would jump to its live edge on the first play, past what the viewer chose.
  const tracker = (p as unknown as { liveTracker?: { handlePlay(): void } }).liveTracker
  if (tracker) tracker.handlePlay = () => {}
  p.volume(volume.volume)
  // An embed asked to start muted (autoplay needs it): set before the listener, so it is not remembered.
  p.muted(opts.muted || volume.muted)
  p.on('volumechange', () => saveVolume({ volume: p.volume() ?? 1, muted: !!p.muted() }))

  const controlBar = p.getChild('ControlBar')
  const quality = document.createElement('div')
  quality.className = 'vjs-control vjs-quality-slot'
  controlBar?.el().insertBefore(quality, controlBar.getChild('FullscreenToggle')?.el() ?? null)
  const preview = document.createElement('div')
  preview.className = 'vjs-storyboard-slot'
  controlBar?.getChild('ProgressControl')?.el().appendChild(preview)
  return { player: p, slots: { quality, preview } }
}

/** The player as PlaybackController drives it; `onSource` runs when a source is first set. */
export function mediaAdapter(p: Player, onSource: () => void): MediaPlayer {
  return {
    setSource: (src, type) => {
      onSource()
      // video.js forgets a paused player has started when its source changes, which hides the
      // control bar and brings the poster back (e.g. the original ended, then ABR took over).
      if (hasStarted(p)) p.one('loadstart', () => p.hasStarted(true))
      p.src({ src, type })
    },
    currentTime: (s) => {
      if (s !== undefined) p.currentTime(s)
      return p.currentTime() ?? 0
    },
    paused: () => p.paused(),
    play: () => play(p),
    pause: () => p.pause(),
    seekableEnd: () => {
      const r = p.seekable()
      return r?.length ? r.end(r.length - 1) : 0
    },
    onceLoaded: (fn) => p.one('loadedmetadata', fn),
    oncePlaying: (fn) => p.one('playing', fn),
    mediaElement: () => mediaElement(p),
  }
}

/** Autoplay can be refused (no user gesture on a cold deep link): the big play button stays. */
export function play(p: Player): void {
  void Promise.resolve(p.play()).catch(() => undefined)
}

const seekHooks = new WeakMap<Player, (t: number) => number>()
let seekMiddleware = false

/**
 * Routes every seek of `p` (progress bar, keys, remote commands, start position) through `target`,
 * which may hold it (a video.js middleware: the one place all of them pass). Returns the undo.
 */
export function routeSeeks(p: Player, target: (t: number) => number): () => void {
  if (!seekMiddleware) {
    seekMiddleware = true
    videojs.use('*', (player: Player) => ({ setCurrentTime: (t: number) => seekHooks.get(player)?.(t) ?? t }))
  }
  seekHooks.set(p, target)
  return () => seekHooks.delete(p)
}
