import { describe, expect, it } from 'vitest'
import { CAPTIONS_KEY, captionWish, loadCaptionChoice, matchCaptionTrack, saveCaptionChoice } from '@/lib/player/caption-choice'

const tracks = [
  { kind: 'chapters', language: 'fr', label: 'Chapters' },
  { kind: 'subtitles', language: 'fr-CA', label: 'Français (Canada)' },
  { kind: 'captions', language: 'en', label: 'English' },
]

describe('which caption track a player shows', () => {
  it('takes ?captions= over the remembered choice, and ignores junk', () => {
    expect(captionWish('fr', 'de')).toBe('fr')
    expect(captionWish(null, 'de')).toBe('de')
    expect(captionWish(null, 'off')).toBe('off')
    expect(captionWish('<script>', null)).toBeNull()
    expect(captionWish(null, null)).toBeNull()
  })

  it('matches the tag, then the primary language, never a chapters track', () => {
    expect(matchCaptionTrack(tracks, 'fr-CA')?.label).toBe('Français (Canada)')
    expect(matchCaptionTrack(tracks, 'fr')?.label).toBe('Français (Canada)')
    expect(matchCaptionTrack(tracks, 'EN')?.label).toBe('English')
    expect(matchCaptionTrack(tracks, 'de')).toBeUndefined()
    expect(matchCaptionTrack(tracks, 'off')).toBeUndefined()
  })

  it('remembers the choice in storage, and survives storage that throws', () => {
    const map = new Map<string, string>()
    const store = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) }
    saveCaptionChoice('de', store)
    expect(map.get(CAPTIONS_KEY)).toBe('de')
    expect(loadCaptionChoice(store)).toBe('de')
    const broken = {
      getItem: () => {
        throw new Error('denied')
      },
      setItem: () => {
        throw new Error('full')
      },
    }
    expect(loadCaptionChoice(broken)).toBeNull()
    expect(() => saveCaptionChoice('fr', broken)).not.toThrow()
  })
})
