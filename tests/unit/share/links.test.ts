import { describe, expect, it } from 'vitest'
import { embedHtml, embedUrl, oembedUrl, watchUrl } from '@/lib/share/links'
import { embedSize, videoOfUrl } from '@/lib/share/oembed'
import { parseStartTime } from '@/lib/share/start-time'

describe('start time of a shared link', () => {
  it('reads seconds and h/m/s forms', () => {
    expect(parseStartTime('90')).toBe(90)
    expect(parseStartTime('90.5')).toBe(90.5)
    expect(parseStartTime('90s')).toBe(90)
    expect(parseStartTime('1m30s')).toBe(90)
    expect(parseStartTime('1h2m3s')).toBe(3723)
    expect(parseStartTime('2M')).toBe(120)
    expect(parseStartTime(['12', '13'])).toBe(12)
  })

  it('ignores anything else', () => {
    for (const v of [undefined, null, '', 'abc', '-5', '1e3', 'h', '1:30', '12;DROP', 'Infinity', '9'.repeat(20)])
      expect(parseStartTime(v), String(v)).toBeUndefined()
  })
})

describe('share links', () => {
  const origin = 'https://video.example.org'
  it('adds t in whole seconds from 1 s on', () => {
    expect(watchUrl(origin, 'abc')).toBe('https://video.example.org/videos/abc')
    expect(watchUrl(origin, 'abc', 12.9)).toBe('https://video.example.org/videos/abc?t=12')
    expect(watchUrl(origin, 'abc', 0.4)).toBe('https://video.example.org/videos/abc')
    expect(embedUrl(origin, 'abc', { autoplay: true, muted: true, seconds: 5 })).toBe('https://video.example.org/embed/abc?autoplay=1&muted=1&t=5')
  })

  it('escapes the iframe attributes', () => {
    const html = embedHtml('https://x.test/embed/a?autoplay=1&muted=1', 'Cats "&" <dogs>', 640, 360)
    expect(html).toContain('src="https://x.test/embed/a?autoplay=1&amp;muted=1"')
    expect(html).toContain('title="Cats &quot;&amp;&quot; &lt;dogs&gt;"')
    expect(html).toMatch(/^<iframe [^<>]*><\/iframe>$/)
  })

  it('points oEmbed discovery at the watch URL', () => {
    expect(oembedUrl(origin, 'abc')).toBe('https://video.example.org/api/v1/oembed?url=https%3A%2F%2Fvideo.example.org%2Fvideos%2Fabc&format=json')
  })
})

describe('oEmbed URL matching and sizes', () => {
  const ours = ['https://video.example.org']
  it('takes watch and embed URLs of this site only', () => {
    expect(videoOfUrl('https://video.example.org/videos/abc', ours)).toEqual({ id: 'abc', t: undefined })
    expect(videoOfUrl('https://video.example.org/embed/abc?t=30', ours)).toEqual({ id: 'abc', t: 30 })
    for (const bad of [
      'https://evil.example/videos/abc',
      'https://video.example.org/me/videos',
      'not a url',
      'https://video.example.org/videos/a/b',
      'https://video.example.org/videos/%E0%A4%A',
    ]) {
      expect(() => videoOfUrl(bad, ours), bad).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    }
  })

  it('fits the aspect ratio into the bounds', () => {
    expect(embedSize(16 / 9)).toEqual({ width: 640, height: 360 })
    expect(embedSize(16 / 9, 320)).toEqual({ width: 320, height: 180 })
    expect(embedSize(16 / 9, undefined, 180)).toEqual({ width: 320, height: 180 })
    expect(embedSize(9 / 16, 640, 640)).toEqual({ width: 360, height: 640 })
  })
})
