import { describe, expect, it } from 'vitest'
import { audioStreamsOfProbe, audioTracksOf, manifestDefaultIndex, normaliseLanguage, usableTitle } from '@/lib/content/audio-tracks'
import { withAudioGroup } from '@/lib/pipeline/audio-groups'
import { planAudio } from '@/lib/pipeline/ladder'
import { parseHlsMaster } from '@/lib/pipeline/manifests'
import { factsFromFfprobe } from '@/lib/pipeline/probe'
import { audioGroupProblems } from '@/lib/pipeline/validate'
import { parseMpd } from '@/lib/pipeline/manifests'
import { landscape1080 } from './probe-fixtures'

describe('audio languages of a source', () => {
  it('turns container language codes into BCP 47 and anything unusable into und', () => {
    expect(['eng', 'fre', 'fra', 'ger', 'pt-br', 'zh-Hant', undefined, '', 'not a tag', 'und'].map(normaliseLanguage)).toEqual([
      'en',
      'fr',
      'fr',
      'de',
      'pt-BR',
      'zh-Hant',
      'und',
      'und',
      'und',
      'und',
    ])
  })

  it('keeps titles a menu and a quoted HLS attribute can show', () => {
    expect(usableTitle('  Director\'s "commentary" ')).toBe("Director's 'commentary'")
    expect(usableTitle('bad\u0000title')).toBeUndefined()
    expect(usableTitle('x'.repeat(65))).toBeUndefined()
    expect(usableTitle('   ')).toBeUndefined()
  })

  it('labels tracks by title, else the language in its own words, else a number; labels never repeat', () => {
    const tracks = audioTracksOf(
      [
        { language: 'en', default: true },
        { language: 'fr', default: false },
        { language: 'en', default: false },
        { language: 'und', title: 'Commentary', default: false },
        { language: 'und', default: false },
      ],
      8,
    )
    expect(tracks.map((t) => t.label)).toEqual(['English', 'Français', 'English 2', 'Commentary', 'Audio 5'])
    expect(audioTracksOf([{ language: 'und', default: false }], 4).map((t) => t.label)).toEqual(['Audio'])
    expect(audioTracksOf(tracks, 2)).toHaveLength(2)
  })

  it('marks the first source default as the manifest default, else the first track', () => {
    expect(manifestDefaultIndex([{ default: false }, { default: true }, { default: true }])).toBe(1)
    expect(manifestDefaultIndex([{ default: false }, { default: false }])).toBe(0)
  })

  it('reads stored probes, including those from before several languages were kept', () => {
    expect(audioStreamsOfProbe({ hasAudio: true, audioStreams: [{ language: 'fr', default: true, audioIndex: 0 }] })).toEqual([
      { language: 'fr', default: true, audioIndex: 0 },
    ])
    expect(audioStreamsOfProbe({ hasAudio: true })).toEqual([{ language: 'und', default: true }])
    expect(audioStreamsOfProbe({ hasAudio: false })).toEqual([])
    expect(audioStreamsOfProbe(null)).toEqual([])
  })

  it('probes every decodable audio stream with its language, title and disposition', () => {
    const raw = {
      ...landscape1080,
      streams: [
        ...landscape1080.streams.slice(0, 1),
        { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000', tags: { language: 'eng' }, disposition: { default: 0 } },
        { index: 2, codec_type: 'audio', codec_name: 'none', channels: 0 },
        {
          index: 3,
          codec_type: 'audio',
          codec_name: 'ac3',
          channels: 6,
          sample_rate: '48000',
          tags: { language: 'fre', title: 'VF' },
          disposition: { default: 1 },
        },
      ],
    }
    const facts = factsFromFfprobe(raw, 'matroska', 1)
    expect(facts.audioStreams).toEqual([
      { audioIndex: 0, language: 'en', default: false },
      { audioIndex: 2, language: 'fr', title: 'VF', default: true },
    ])
    // The unusable stream in between is skipped, and the map specifiers still name the right streams.
    expect(planAudio(facts, 4)).toEqual([
      { input: '0:a:0', name: 'audio-en', language: 'en', label: 'English', isDefault: false },
      { input: '0:a:2', name: 'audio-fr', language: 'fr', label: 'VF', isDefault: true },
    ])
    expect(planAudio(facts, 1).map((t) => [t.name, t.isDefault])).toEqual([['audio', true]])
  })
})

const FFMPEG_MASTER = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_2",DEFAULT=YES,URI="media_2.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_3",DEFAULT=NO,URI="media_3.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=632878,RESOLUTION=320x180,CODECS="avc1.64000d,mp4a.40.2",AUDIO="group_A1"
media_0.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=517480,RESOLUTION=256x144,CODECS="avc1.64000c,mp4a.40.2",AUDIO="group_A1"
media_1.m3u8

`

const TRACKS = [
  { playlist: 'media_2.m3u8', language: 'en', label: 'English', isDefault: false },
  { playlist: 'media_3.m3u8', language: 'fr', label: 'Français', isDefault: true },
]

describe('the HLS audio group', () => {
  it("replaces the muxer's audio renditions with one group carrying language, name and default", () => {
    expect(withAudioGroup(FFMPEG_MASTER, TRACKS, 2)).toBe(`#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="en",NAME="English",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="media_2.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",LANGUAGE="fr",NAME="Français",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="media_3.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=632878,RESOLUTION=320x180,CODECS="avc1.64000d,mp4a.40.2",AUDIO="aud"
media_0.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=517480,RESOLUTION=256x144,CODECS="avc1.64000c,mp4a.40.2",AUDIO="aud"
media_1.m3u8

`)
  })

  it('is idempotent, leaves LANGUAGE out for und and a silent master unchanged', () => {
    const once = withAudioGroup(FFMPEG_MASTER, TRACKS, 2)
    expect(withAudioGroup(once, TRACKS, 2)).toBe(once)
    const und = withAudioGroup(FFMPEG_MASTER, [{ ...TRACKS[0], language: 'und', label: 'Audio', isDefault: true }], 2)
    expect(und).toContain('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio",DEFAULT=YES,')
    const silent = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="avc1.64000d"\nmedia_0.m3u8\n'
    expect(withAudioGroup(silent, [], 2)).toBe(silent)
  })

  it('is checked against the MPD: same tracks, same languages, one default, every variant in the group', () => {
    const mpd = parseMpd(`<MPD type="static"><Period>
      <AdaptationSet contentType="audio" lang="en"><Representation id="2" bandwidth="1"><SegmentTemplate media="a" initialization="i"><SegmentTimeline><S d="1"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet>
      <AdaptationSet contentType="audio" lang="fr"><Representation id="3" bandwidth="1"><SegmentTemplate media="a" initialization="i"><SegmentTimeline><S d="1"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet>
    </Period></MPD>`)
    expect(audioGroupProblems(mpd, parseHlsMaster(withAudioGroup(FFMPEG_MASTER, TRACKS, 2)))).toEqual([])
    expect(audioGroupProblems(mpd, parseHlsMaster(FFMPEG_MASTER))).toEqual([
      'representation 2: LANGUAGE none in master.m3u8, lang en in manifest.mpd',
      'representation 3: LANGUAGE none in master.m3u8, lang fr in manifest.mpd',
    ])
    const swapped = TRACKS.map((t, i) => ({ ...t, language: TRACKS[1 - i].language, isDefault: true }))
    expect(audioGroupProblems(mpd, parseHlsMaster(withAudioGroup(FFMPEG_MASTER, swapped, 2)))).toEqual([
      'representation 2: LANGUAGE fr in master.m3u8, lang en in manifest.mpd',
      'representation 3: LANGUAGE en in master.m3u8, lang fr in manifest.mpd',
      'master.m3u8: 2 default audio renditions',
    ])
  })
})
