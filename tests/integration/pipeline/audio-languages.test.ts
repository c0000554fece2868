import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadStreamingConfig, processContent } from '@/lib/pipeline'
import { parseHlsMaster, parseMpd } from '@/lib/pipeline/manifests'
import { makeMultiAudioClip, makeTempDir, removeDir, toneOf } from '@/tests/fixtures/media'
import { decodeAll } from './helpers'

// Real FFmpeg: every audio stream of the source becomes its own AAC rendition in the same process, with
// its language in both manifests, and each rendition carries its own stream (told apart by its tone).

const config = loadStreamingConfig('config/streaming.yaml')
let dir: string

beforeAll(async () => {
  dir = await makeTempDir('pipeline-audio-')
})
afterAll(async () => {
  await removeDir(dir)
})

describe('a source with two audio languages', () => {
  it('gives two audio renditions with LANGUAGE in HLS and lang in DASH, both decodable, the default from the source', async () => {
    const input = await makeMultiAudioClip(dir, {
      name: 'two-languages.mp4',
      seconds: 5,
      width: 640,
      height: 360,
      tracks: [
        { frequency: 440, language: 'eng' },
        { frequency: 1000, language: 'fra', default: true },
      ],
    })
    const out = path.join(dir, 'two-languages.out')
    let growingMaster: string | null = null
    const result = await processContent({
      inputPath: input,
      outDir: out,
      config,
      // What a player opening the growing playlists first sees.
      onPlayable: (p) => {
        growingMaster = readFileSync(path.join(p.partialDir, 'master.m3u8'), 'utf8')
      },
    })

    expect(result.facts.audioStreams.map((s) => [s.language, s.default])).toEqual([
      ['en', false],
      ['fr', true],
    ])
    expect(result.renditions.filter((r) => r.kind === 'audio').map((r) => `${r.name} ${r.codecs}`)).toEqual(['audio-en mp4a.40.2', 'audio-fr mp4a.40.2'])

    const masterText = await readFile(path.join(out, 'master.m3u8'), 'utf8')
    const master = parseHlsMaster(masterText)
    expect(master.media).toEqual([
      { type: 'AUDIO', groupId: 'aud', language: 'en', name: 'English', default: false, uri: 'media_1.m3u8' },
      { type: 'AUDIO', groupId: 'aud', language: 'fr', name: 'Français', default: true, uri: 'media_2.m3u8' },
    ])
    expect(masterText).toMatch(/#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="fr",NAME="Français",DEFAULT=YES,AUTOSELECT=YES,/)
    expect(master.variants.map((v) => v.audio)).toEqual(['aud'])
    expect(growingMaster).toBe(masterText)

    const mpdText = await readFile(path.join(out, 'manifest.mpd'), 'utf8')
    expect(mpdText.match(/<AdaptationSet\b[^>]*contentType="audio"[^>]*>/g)?.map((t) => t.match(/lang="([^"]+)"/)?.[1])).toEqual(['en', 'fr'])
    const audio = parseMpd(mpdText).representations.filter((r) => r.contentType === 'audio')
    expect(audio.map((r) => `${r.id} ${r.lang}`)).toEqual(['1 en', '2 fr'])

    // Each rendition decodes to its end and carries its own source stream.
    for (const [playlist, tone] of [
      ['media_1.m3u8', 440],
      ['media_2.m3u8', 1000],
    ] as const) {
      const d = await decodeAll(path.join(out, playlist))
      expect(d.errors, playlist).toBe('')
      expect(d.decodedMs, playlist).toBeGreaterThanOrEqual(result.facts.durationMs - 150)
      expect(Math.abs((await toneOf(path.join(out, playlist))) - tone), playlist).toBeLessThan(tone * 0.05)
    }
    for (const manifest of ['master.m3u8', 'manifest.mpd']) {
      const d = await decodeAll(path.join(out, manifest))
      expect(d.errors, manifest).toBe('')
      expect(d.code).toBe(0)
    }
  })

  it('keeps at most audio.max_tracks streams; titles name them, untagged ones are "und"', async () => {
    const input = await makeMultiAudioClip(dir, {
      name: 'three-tracks.mkv',
      seconds: 2,
      width: 320,
      height: 180,
      tracks: [{ frequency: 440, language: 'ger', title: 'Deutsch "Kino"', default: true }, { frequency: 660 }, { frequency: 880, language: 'spa' }],
    })
    const out = path.join(dir, 'three-tracks.out')
    const result = await processContent({ inputPath: input, outDir: out, config: { ...config, audio: { ...config.audio, maxTracks: 2 } } })
    expect(result.facts.audioStreams.map((s) => s.language)).toEqual(['de', 'und', 'es'])
    expect(result.renditions.filter((r) => r.kind === 'audio').map((r) => r.name)).toEqual(['audio-de', 'audio-und'])
    const master = parseHlsMaster(await readFile(path.join(out, 'master.m3u8'), 'utf8'))
    expect(master.media.map((m) => [m.language, m.name, m.default])).toEqual([
      ['de', "Deutsch 'Kino'", true],
      [null, 'Audio 2', false],
    ])
    const mpd = parseMpd(await readFile(path.join(out, 'manifest.mpd'), 'utf8'))
    expect(mpd.representations.filter((r) => r.contentType === 'audio').map((r) => r.lang)).toEqual(['de', null])
    expect(Math.abs((await toneOf(path.join(out, master.media[1].uri))) - 660)).toBeLessThan(660 * 0.05)
  })
})
