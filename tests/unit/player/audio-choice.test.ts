import { describe, expect, it } from 'vitest'
import { matchingTrack, preferredAudioTrack } from '@/lib/player/audio-choice'

const en = { language: 'en', label: 'English', default: false }
const fr = { language: 'fr', label: 'Français', default: false }
const ptBR = { language: 'pt-BR', label: 'Português', default: false }
const und = { language: 'und', label: 'Audio 3', default: false }

describe('preferredAudioTrack', () => {
  it("follows the source's default disposition before the browser's languages", () => {
    expect(preferredAudioTrack([en, { ...fr, default: true }], ['en-US', 'en'])).toBe(1)
  })

  it('lets the browser languages choose among several defaults, or when the source marks none', () => {
    expect(
      preferredAudioTrack(
        [
          { ...en, default: true },
          { ...fr, default: true },
        ],
        ['fr-FR', 'fr', 'en'],
      ),
    ).toBe(1)
    expect(preferredAudioTrack([en, fr], ['de-DE', 'fr'])).toBe(1)
    // An exact tag beats a primary-language match; order of the browser's list counts.
    expect(preferredAudioTrack([{ ...ptBR, language: 'pt-PT' }, ptBR], ['pt-BR'])).toBe(1)
    expect(preferredAudioTrack([en, ptBR], ['pt', 'en'])).toBe(1)
  })

  it('falls back to the first candidate; und never matches a language', () => {
    expect(preferredAudioTrack([en, fr], ['ja'])).toBe(0)
    expect(preferredAudioTrack([und, fr], ['und', 'ja'])).toBe(0)
    expect(preferredAudioTrack([en, { ...und, default: true }], ['en'])).toBe(1)
    expect(preferredAudioTrack([], ['en'])).toBe(-1)
  })
})

describe('matchingTrack', () => {
  it('finds the player track by its label (the HLS NAME), else by language (DASH)', () => {
    const list = [
      { label: 'en', language: 'en' },
      { label: 'Français', language: 'fr' },
    ]
    expect(matchingTrack(list, fr)).toBe(list[1])
    expect(matchingTrack(list, en)).toBe(list[0])
    expect(matchingTrack(list, ptBR)).toBeUndefined()
  })
})
