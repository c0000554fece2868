import { describe, expect, it } from 'vitest'
import { framePath, isPartialPlayerFile, isPlayerFile } from '@/lib/content/layout'
import { posterShot, stillArgs } from '@/lib/pipeline/previews'
import { factsFromFfprobe } from '@/lib/pipeline/probe'
import { landscape1080, pqHevc } from './probe-fixtures'

// A chosen poster frame is made like the generated poster: same size rule, same colour handling,
// same JPEG settings; and its file name is part of what the media routes serve.

describe('poster stills', () => {
  it('keeps the poster at display size capped at 720 on the short side, even', () => {
    expect(posterShot({ width: 1920, height: 1080 }, 4.2)).toEqual({ t: 4.2, w: 1280, h: 720 })
    expect(posterShot({ width: 1080, height: 1920 }, 0)).toEqual({ t: 0, w: 720, h: 1280 })
    expect(posterShot({ width: 640, height: 360 }, 1)).toEqual({ t: 1, w: 640, h: 360 })
  })

  it('seeks the forced demuxer to the frame and writes one JPEG at the poster size', () => {
    const facts = factsFromFfprobe(landscape1080, 'mov', 46_500_000)
    const args = stillArgs('/data/content/ab/abc/original', facts, [{ ...posterShot(facts, 4.2), out: '/out/at-4200.jpg' }])
    expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4)).toEqual(['-ss', '4.200', '-i', 'file:/data/content/ab/abc/original'])
    expect(args).toContain('-protocol_whitelist')
    expect(args.slice(args.indexOf('-map'))).toEqual([
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-vf',
      'scale=1280:720',
      '-q:v',
      '3',
      '-f',
      'image2',
      '-update',
      '1',
      '/out/at-4200.jpg',
    ])
  })

  it('tone-maps an HDR source before scaling, as the generated poster is', () => {
    const facts = factsFromFfprobe(pqHevc, 'mov', 15_000_000)
    const args = stillArgs('/o', facts, [{ ...posterShot(facts, 1), out: '/f.jpg' }])
    const vf = args[args.indexOf('-vf') + 1]
    expect(vf).toMatch(/tonemap|zscale/)
    expect(vf.endsWith('scale=1280:720')).toBe(true)
  })
})

describe('frame file names', () => {
  it('names a frame by its whole millisecond and serves it from stored content only', () => {
    expect(framePath(4200)).toBe('frames/at-4200.jpg')
    expect(framePath(4200.9)).toBe('frames/at-4200.jpg')
    expect(isPlayerFile('frames/at-4200.jpg')).toBe(true)
    expect(isPartialPlayerFile('frames/at-4200.jpg')).toBe(false)
    for (const bad of [
      'frames/at-.jpg',
      'frames/at-12.png',
      'frames/../original',
      'frames/at-1/x.jpg',
      'frames/.at-1.partial.jpg',
      'frames/at-12345678901.jpg',
    ]) {
      expect(isPlayerFile(bad), bad).toBe(false)
    }
  })
})
