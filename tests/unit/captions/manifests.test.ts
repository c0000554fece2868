import { describe, expect, it } from 'vitest'
import { subtitleMediaPlaylist, type TextTrackRef, videoDashManifest, videoHlsMaster } from '@/lib/captions/manifests'
import { parseHlsMaster, parseMpd } from '@/lib/pipeline/manifests'

// As FFmpeg 5.1's DASH muxer writes them (hls_playlist 1), with a second audio language as a
// multi-language encode adds it: those lines must come through untouched but for their URIs.
const MASTER = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_2",DEFAULT=YES,URI="media_2.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_3",LANGUAGE="fr",DEFAULT=NO,URI="media_3.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=2634465,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2",AUDIO="group_A1"
media_0.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=1334465,RESOLUTION=854x480,CODECS="avc1.4d401e,mp4a.40.2",AUDIO="group_A1"
media_1.m3u8
`

const MPD = `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static" mediaPresentationDuration="PT6.0S" minBufferTime="PT4.0S">
	<ProgramInformation>
	</ProgramInformation>
	<Period id="0" start="PT0.0S">
		<AdaptationSet id="0" contentType="video" segmentAlignment="true">
			<Representation id="0" mimeType="video/mp4" codecs="avc1.4d401f" bandwidth="2500000" width="1280" height="720">
				<SegmentTemplate timescale="15360" initialization="streams/$RepresentationID$/init.m4s" media="streams/$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1">
					<SegmentTimeline><S t="0" d="15360" r="5" /></SegmentTimeline>
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
		<AdaptationSet id="1" contentType="audio" lang="en">
			<Representation id="1" mimeType="audio/mp4" codecs="mp4a.40.2" bandwidth="128000">
				<SegmentTemplate timescale="48000" initialization="streams/$RepresentationID$/init.m4s" media="streams/$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1">
					<SegmentTimeline><S t="0" d="48000" r="5" /></SegmentTimeline>
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
	</Period>
</MPD>
`

const BASE = 'https://media.example/api/v1/content/abc/t/TOKEN'
const tracks: TextTrackRef[] = [
  {
    language: 'fr',
    label: 'Français',
    kind: 'subtitles',
    playlistUrl: '/api/v1/videos/v1/captions/c1/playlist.m3u8',
    vttUrl: '/api/v1/videos/v1/captions/c1/track.vtt',
  },
  {
    language: 'en',
    label: 'English "SDH"',
    kind: 'captions',
    playlistUrl: '/api/v1/videos/v1/captions/c2/playlist.m3u8',
    vttUrl: '/api/v1/videos/v1/captions/c2/track.vtt',
  },
  { language: 'en', label: 'English "SDH"', kind: 'subtitles', playlistUrl: '/p3.m3u8', vttUrl: '/t3.vtt' },
]

describe("a video's HLS master playlist", () => {
  const out = videoHlsMaster(MASTER, BASE, tracks)
  const parsed = parseHlsMaster(out)

  it("keeps the content's variants and audio groups, pointed at the content", () => {
    expect(parsed.variants.map((v) => v.uri)).toEqual([`${BASE}/media_0.m3u8`, `${BASE}/media_1.m3u8`])
    expect(parsed.media.filter((m) => m.type === 'AUDIO').map((m) => m.uri)).toEqual([`${BASE}/media_2.m3u8`, `${BASE}/media_3.m3u8`])
    expect(out).toContain('NAME="audio_3",LANGUAGE="fr",DEFAULT=NO')
  })

  it('adds one SUBTITLES rendition per track, named uniquely, and every variant names the group', () => {
    const subs = out.split('\n').filter((l) => l.includes('TYPE=SUBTITLES'))
    expect(subs).toHaveLength(3)
    expect(subs[0]).toBe(
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="fr",NAME="Français",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="/api/v1/videos/v1/captions/c1/playlist.m3u8"',
    )
    expect(subs[1]).toContain(`NAME="English 'SDH'"`)
    expect(subs[1]).toContain('CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog')
    expect(subs[2]).toContain(`NAME="English 'SDH' (2)"`)
    // Renditions come before the variants that name them.
    expect(out.indexOf('TYPE=SUBTITLES')).toBeLessThan(out.indexOf('#EXT-X-STREAM-INF'))
    for (const l of out.split('\n').filter((l) => l.startsWith('#EXT-X-STREAM-INF'))) expect(l).toMatch(/,AUDIO="group_A1",SUBTITLES="subs"$/)
  })

  it('is the content playlist with absolute URIs when the video has no tracks', () => {
    const plain = videoHlsMaster(MASTER, BASE, [])
    expect(plain).not.toContain('SUBTITLES')
    expect(plain.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([`${BASE}/media_0.m3u8`, `${BASE}/media_1.m3u8`])
  })

  it('copes with a playlist that has no variants yet', () => {
    expect(videoHlsMaster('#EXTM3U\n#EXT-X-VERSION:7\n', BASE, tracks.slice(0, 1))).toMatch(/^#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MEDIA:TYPE=SUBTITLES.*\n$/)
  })
})

describe('a subtitle media playlist', () => {
  it('holds the whole WebVTT file as one segment of the video length', () => {
    expect(subtitleMediaPlaylist('/t.vtt', 6400)).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:7\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:6.400,\n/t.vtt\n#EXT-X-ENDLIST\n',
    )
  })
})

describe("a video's MPD", () => {
  const out = videoDashManifest(MPD, BASE, tracks.slice(0, 2))

  it("keeps the content's representations, resolving against a BaseURL at the content", () => {
    expect(out).toContain(`</ProgramInformation>\n\t<BaseURL>${BASE}/</BaseURL>`)
    const reps = parseMpd(out).representations
    expect(reps.filter((r) => r.contentType === 'video' || r.contentType === 'audio').map((r) => r.id)).toEqual(['0', '1'])
  })

  it('adds a text AdaptationSet per track with its language, role, label and WebVTT URL', () => {
    const sets = [...out.matchAll(/<AdaptationSet\b([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)].filter((m) => m[1].includes('contentType="text"'))
    expect(sets.map((m) => m[1].trim())).toEqual([
      'id="2" contentType="text" mimeType="text/vtt" lang="fr"',
      'id="3" contentType="text" mimeType="text/vtt" lang="en"',
    ])
    expect(sets[0][2]).toContain('<BaseURL>/api/v1/videos/v1/captions/c1/track.vtt</BaseURL>')
    expect(sets[1][2]).toContain('<Role schemeIdUri="urn:mpeg:dash:role:2011" value="caption" />')
    expect(sets[1][2]).toContain('<Label>English &quot;SDH&quot;</Label>')
    expect(out.lastIndexOf('</AdaptationSet>')).toBeLessThan(out.indexOf('</Period>'))
  })

  it('gives a childless MPD its BaseURL', () => {
    expect(videoDashManifest('<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011"/>', '/c', [])).toBe(
      '<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011">\n\t<BaseURL>/c/</BaseURL>\n</MPD>',
    )
  })
})
