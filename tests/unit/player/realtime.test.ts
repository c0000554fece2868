import { describe, expect, it } from 'vitest'
import { applyDirective, type CommandTarget, normalisePipelineEvent } from '@/lib/player/realtime'
import type { PlaybackDirective } from '@/lib/realtime/commands-manager'

function target(videoId = 'v1', time = 0, playing = false) {
  const calls: string[] = []
  const t: CommandTarget = {
    videoId,
    currentTime: () => time,
    bufferedAhead: () => 0,
    playing: () => playing,
    source: () => 'abr',
    play: () => calls.push('play'),
    pause: () => calls.push('pause'),
    seek: (s) => calls.push(`seek ${s}`),
    open: (id, at, p) => calls.push(`open ${id} ${at} ${p}`),
  }
  return { t, calls }
}

function directive(type: PlaybackDirective['type'], videoId: string | null, positionMs: number, playing: boolean, at = 1000): PlaybackDirective {
  return {
    roomId: 'r',
    type,
    seq: 1,
    state: { id: 'r', name: '', videoIds: videoId ? [videoId] : [], currentIndex: 0, positionMs, playing, rate: 1, seq: 1, updatedAt: 0 },
    event: null,
    videoId,
    positionMs,
    at,
  }
}

describe('applying command directives to the player', () => {
  it('play and pause keep the position the viewer is at; seek moves it', () => {
    const a = target('v1', 0, false)
    applyDirective(directive('play', 'v1', 10_000, true), a.t, 1000)
    expect(a.calls).toEqual(['play'])
    const b = target('v1', 10.1, true)
    applyDirective(directive('pause', 'v1', 10_000, false), b.t, 1000)
    expect(b.calls).toEqual(['pause'])
    // A fresh personal room still says 0:00 while the viewer is at 12 s: a pause must not rewind.
    const fresh = target('v1', 12, true)
    applyDirective(directive('pause', null, 0, false), fresh.t, 1000)
    expect(fresh.calls).toEqual(['pause'])
    const again = target('v1', 12, true)
    applyDirective(directive('pause', 'v1', 0, false), again.t, 1000)
    expect(again.calls).toEqual(['pause'])
    const c = target('v1', 3, true)
    applyDirective(directive('seek', 'v1', 3_000, true), c.t, 1000)
    expect(c.calls).toEqual(['seek 3'])
  })

  it('accounts for the time since the directive was computed while playing', () => {
    const a = target('v1', 0, true)
    applyDirective(directive('seek', 'v1', 5_000, true, 1000), a.t, 1500)
    expect(a.calls).toEqual(['seek 5.5'])
  })

  it('opens another video for explicit commands, but not for a sync of a stale room', () => {
    const a = target('v1')
    applyDirective(directive('next', 'v2', 0, true), a.t, 1000)
    expect(a.calls).toEqual(['open v2 0 true'])
    const b = target('v1')
    applyDirective(directive('sync', 'v2', 0, true), b.t, 1000)
    expect(b.calls).toEqual([])
    // Joining a room that last played this video somewhere else leaves the viewer where they are.
    const c = target('v1', 30, true)
    applyDirective(directive('sync', 'v1', 5_000, false), c.t, 1000)
    expect(c.calls).toEqual([])
  })

  it('a room without a video commands the video on screen; its join sync changes nothing', () => {
    const a = target('v1', 2, true)
    applyDirective(directive('pause', null, 2000, false), a.t, 1000)
    expect(a.calls).toEqual(['pause'])
    const b = target('v1', 2, true)
    applyDirective(directive('seek', null, 9000, true), b.t, 1000)
    expect(b.calls).toEqual(['seek 9'])
    const c = target('v1', 2, true)
    applyDirective(directive('sync', null, 0, false), c.t, 1000)
    expect(c.calls).toEqual([])
  })

  it('normalises pipeline events from the socket', () => {
    expect(normalisePipelineEvent('session.progress', { sessionId: 's1', progress: 0.5 })).toMatchObject({ sessionId: 's1', progress: 0.5 })
    expect(normalisePipelineEvent('session.progress', { hash: 'h', percent: 42 })).toMatchObject({ contentHash: 'h', progress: 0.42 })
    expect(normalisePipelineEvent('x', { progress: 87 }).progress).toBeCloseTo(0.87)
    // The web process's bridge: a session event with its data.
    expect(
      normalisePipelineEvent('pipeline.event', {
        id: '1',
        sessionId: 's',
        contentHash: 'h',
        type: 'ProgressUpdate',
        data: { percent: 37.5, speed: 2 },
        at: '',
      }),
    ).toMatchObject({ type: 'ProgressUpdate', sessionId: 's', contentHash: 'h', progress: 0.375 })
  })
})
