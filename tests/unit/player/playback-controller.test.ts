import { describe, expect, it, vi } from 'vitest'
import type { Logger } from '@/lib/player/debug'
import { type ControllerState, type MediaPlayer, PlaybackController, type PreparingSeek } from '@/lib/player/PlaybackController'
import type { PlayableView } from '@/lib/player/source'

const quiet: Logger = { debug() {}, warn() {}, error() {} }

class FakePlayer implements MediaPlayer {
  sources: { src: string; type: string }[] = []
  time = 0
  isPaused = true
  played = 0
  private loaded: (() => void)[] = []
  private playing: (() => void)[] = []
  canPlay: (t: string) => string = (t) => (t === 'video/mp4' ? 'maybe' : '')
  setSource(src: string, type: string) {
    this.sources.push({ src, type })
  }
  currentTime(s?: number) {
    if (s !== undefined) this.time = s
    return this.time
  }
  paused() {
    return this.isPaused
  }
  play() {
    this.played++
    this.isPaused = false
  }
  pause() {
    this.isPaused = true
  }
  /** What the growing playlists have prepared so far (seconds). */
  seekable = 0
  seekableEnd() {
    return this.seekable
  }
  onceLoaded(fn: () => void) {
    this.loaded.push(fn)
  }
  oncePlaying(fn: () => void) {
    this.playing.push(fn)
  }
  load() {
    const fns = this.loaded
    this.loaded = []
    for (const f of fns) f()
  }
  /** Playback starts at `at` (a player on a live playlist jumps to its edge by itself). */
  startPlaying(at: number) {
    this.time = at
    const fns = this.playing
    this.playing = []
    for (const f of fns) f()
  }
  mediaElement() {
    return { canPlayType: (t: string) => this.canPlay(t), readyState: 4 } as unknown as HTMLVideoElement
  }
}

const playback = { direct: '/c/h/original', hls: null, dash: null, poster: null, storyboard: null }
const head = (type: string | null) =>
  (async () => new Response(null, { status: 200, headers: type ? { 'content-type': type } : {} })) as unknown as typeof fetch

function run(view: PlayableView, type: string | null, opts: { startAt?: number } = {}) {
  const player = new FakePlayer()
  const states: ControllerState[] = []
  const c = new PlaybackController(player, view, { log: quiet, fetch: head(type), onState: (s) => states.push(s), preferOriginal: false, ...opts })
  return { player, states, c }
}

describe('PlaybackController (source choice and switches)', () => {
  it('plays a processing original by direct URL when the browser can, starting where asked', async () => {
    const { player, states, c } = run({ status: 'processing', sizeBytes: 1000, playback }, 'video/mp4', { startAt: 3 })
    await c.start()
    expect(player.sources).toEqual([{ src: '/c/h/original', type: 'video/mp4' }])
    expect(states.at(-1)).toEqual({ kind: 'playing', source: 'direct' })
    player.load()
    expect(player.time).toBe(3)
    expect(player.played).toBe(1)
  })

  it('waits (progress state) when the original cannot play here', async () => {
    const { player, states, c } = run({ status: 'processing', sizeBytes: 1000, playback }, 'video/x-matroska')
    player.canPlay = () => ''
    await c.start()
    expect(player.sources).toEqual([])
    expect(states.at(-1)?.kind).toBe('waiting')
  })

  it('plays the growing playlists when the original cannot play here, and keeps them once stored (no reload)', async () => {
    const growing = { ...playback, hls: '/c/h/partial/master.m3u8' }
    const { player, c } = run({ status: 'processing', sizeBytes: 1000, playback: growing }, 'video/x-matroska')
    player.canPlay = () => ''
    await c.start()
    expect(player.sources).toEqual([{ src: '/c/h/partial/master.m3u8', type: 'application/x-mpegURL' }])
    player.load()
    c.switchToAbr({ status: 'ready', sizeBytes: 1000, playback: { ...playback, hls: '/c/h/master.m3u8' } })
    // The same URLs serve the finished playlists: setting a new source would empty the element.
    expect(player.sources).toHaveLength(1)
    expect(c.getStats()).toMatchObject({ source: 'abr', growing: true })
  })

  it('shows the reason for a failed video and plays nothing', async () => {
    const { player, states, c } = run({ status: 'failed', error: 'no video stream', playback }, 'video/mp4')
    await c.start()
    expect(player.sources).toEqual([])
    expect(states).toEqual([{ kind: 'failed', reason: 'no video stream' }])
  })

  it('moves to HLS at the current position when packaging finishes, and keeps playing', async () => {
    const { player, c } = run({ status: 'processing', sizeBytes: 1000, playback }, 'video/mp4')
    await c.start()
    player.load()
    player.time = 4.2
    c.switchToAbr({ status: 'ready', sizeBytes: 1000, playback: { ...playback, hls: '/c/h/master.m3u8' } })
    expect(player.sources.at(-1)).toEqual({ src: '/c/h/master.m3u8', type: 'application/x-mpegURL' })
    player.time = 0
    player.load()
    expect(player.time).toBe(4.2)
    expect(c.getStats()).toMatchObject({ source: 'abr', state: 'playing' })
    // A second "ready" does nothing.
    c.switchToAbr({ status: 'ready', sizeBytes: 1000, playback: { ...playback, hls: '/c/h/master.m3u8' } })
    expect(player.sources).toHaveLength(2)
  })

  it('plays ready content over HLS from the start', async () => {
    const { player, c } = run({ status: 'ready', playback: { ...playback, hls: '/h.m3u8', dash: '/h.mpd' } }, null)
    await c.start()
    expect(player.sources).toEqual([{ src: '/h.m3u8', type: 'application/x-mpegURL' }])
  })

  it('falls back to direct streaming when chunked streaming is not possible (no MediaSource here)', async () => {
    const { player, c } = run({ status: 'processing', sizeBytes: 50 * 1024 * 1024, playback }, 'video/mp4')
    await c.start()
    expect(player.sources).toEqual([{ src: '/c/h/original', type: 'video/mp4' }])
    expect(c.getStats().source).toBe('direct')
  })

  describe('with probe facts in the view', () => {
    const hevcMkv = { directPlayable: false, mimeCodecs: 'video/x-matroska; codecs="hvc1.1.6.L120.B0, mp4a.40.2"' }
    const h264Mp4 = { directPlayable: true, mimeCodecs: 'video/mp4; codecs="avc1.64001f, mp4a.40.2"' }

    it('never offers an original the probe calls unplayable, even where the browser claims its type', async () => {
      const { player, states, c } = run({ status: 'processing', sizeBytes: 1000, playback: { ...playback, ...hevcMkv } }, 'video/x-matroska')
      player.canPlay = () => 'maybe'
      await c.start()
      expect(player.sources).toEqual([])
      expect(states.at(-1)?.kind).toBe('waiting')
    })

    it('waits, then starts the growing playlists from the beginning as soon as they exist', async () => {
      const { player, states, c } = run({ status: 'processing', sizeBytes: 1000, playback: { ...playback, ...hevcMkv } }, 'video/x-matroska')
      await c.start()
      expect(states.at(-1)?.kind).toBe('waiting')
      // A poll without segments yet changes nothing.
      c.update({ status: 'processing', sizeBytes: 1000, playback: { ...playback, ...hevcMkv } })
      expect(player.sources).toEqual([])
      c.update({ status: 'processing', sizeBytes: 1000, playback: { ...playback, ...hevcMkv, hls: '/c/h/t/x/.partial/master.m3u8', live: true } })
      expect(player.sources).toEqual([{ src: '/c/h/t/x/.partial/master.m3u8', type: 'application/x-mpegURL' }])
      expect(states.at(-1)).toEqual({ kind: 'playing', source: 'abr' })
      player.load()
      player.startPlaying(14) // the live edge of an event playlist
      expect(player.time).toBe(0)
      // Later polls while playing leave the source alone; STORED moves on to the final playlists.
      c.update({ status: 'processing', sizeBytes: 1000, playback: { ...playback, ...hevcMkv, hls: '/c/h/t/x/.partial/master.m3u8', live: true } })
      expect(player.sources).toHaveLength(1)
      player.time = 9
      c.switchToAbr({ status: 'ready', sizeBytes: 1000, playback: { ...playback, ...hevcMkv, hls: '/c/h/master.m3u8' } })
      expect(player.sources).toHaveLength(1)
      expect(player.time).toBe(9)
    })

    it('holds a seek past the prepared part, shows it, and makes it once that part exists', async () => {
      vi.useFakeTimers()
      try {
        const preparing: (PreparingSeek | null)[] = []
        const player = new FakePlayer()
        const view = { status: 'processing' as const, sizeBytes: 1000, playback: { ...playback, ...hevcMkv, hls: '/g.m3u8', live: true } }
        const c = new PlaybackController(player, view, { log: quiet, preferOriginal: false, onPreparing: (p) => preparing.push(p) })
        await c.start()
        player.load()
        player.startPlaying(0)
        player.time = 4
        player.seekable = 12
        // Within what exists: the seek goes through untouched.
        expect(c.seekTarget(10)).toBe(10)
        expect(preparing).toEqual([])
        // Past it: the position stays, playback pauses, the state says where and how far.
        expect(c.seekTarget(40)).toBe(4)
        expect(player.isPaused).toBe(true)
        expect(preparing.at(-1)).toEqual({ at: 40, preparedTo: 12 })
        player.seekable = 30
        vi.advanceTimersByTime(600)
        expect(preparing.at(-1)).toEqual({ at: 40, preparedTo: 30 })
        expect(player.time).toBe(4)
        player.seekable = 44
        vi.advanceTimersByTime(600)
        expect(player.time).toBe(40)
        expect(player.isPaused).toBe(false)
        expect(preparing.at(-1)).toBeNull()
      } finally {
        vi.useRealTimers()
      }
    })

    it('lets every seek through on final playlists', async () => {
      const { player, c } = run({ status: 'ready', sizeBytes: 1000, playback: { ...playback, hls: '/c/h/master.m3u8' } }, 'video/mp4')
      await c.start()
      player.seekable = 0
      expect(c.seekTarget(80)).toBe(80)
    })

    it('opened while live, it starts on the growing playlists without asking for the original', async () => {
      let heads = 0
      const player = new FakePlayer()
      const view = { status: 'processing' as const, sizeBytes: 1000, playback: { ...playback, ...hevcMkv, hls: '/g.m3u8', live: true } }
      const countingHead = (async () => {
        heads++
        return new Response()
      }) as unknown as typeof fetch
      const c = new PlaybackController(player, view, { log: quiet, preferOriginal: false, startAt: 5, fetch: countingHead })
      await c.start()
      expect(heads).toBe(0)
      expect(player.sources).toEqual([{ src: '/g.m3u8', type: 'application/x-mpegURL' }])
      player.load()
      player.startPlaying(30)
      expect(player.time).toBe(5)
    })

    it('plays a probed H.264 MP4 directly when the browser supports its codec string', async () => {
      const { player, c } = run({ status: 'processing', sizeBytes: 1000, playback: { ...playback, ...h264Mp4, hls: '/g.m3u8', live: true } }, 'video/mp4')
      player.canPlay = (t) => (t.startsWith('video/mp4') ? 'probably' : '')
      await c.start()
      expect(player.sources).toEqual([{ src: '/c/h/original', type: 'video/mp4' }])
    })

    it('takes the growing playlists when this browser rejects the probed codecs (e.g. AV1 without a decoder)', async () => {
      const av1 = { directPlayable: true, mimeCodecs: 'video/webm; codecs="av01.0.08M.08, opus"' }
      const { player, c } = run({ status: 'processing', sizeBytes: 1000, playback: { ...playback, ...av1, hls: '/g.m3u8', live: true } }, 'video/webm')
      player.canPlay = (t) => (t === 'video/webm' ? 'maybe' : '')
      await c.start()
      expect(player.sources).toEqual([{ src: '/g.m3u8', type: 'application/x-mpegURL' }])
    })
  })
})
