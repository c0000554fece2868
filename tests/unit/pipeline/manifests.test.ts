import { describe, expect, it } from 'vitest'
import { isoDurationS, parseHlsMaster, parseHlsMediaPlaylist, parseMpd } from '@/lib/pipeline/manifests'

// Trimmed from what FFmpeg 5.1's DASH muxer wrote for a 6 s 720p clip with the 1-1-2-4 s schedule.
const MPD = `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011"
	profiles="urn:mpeg:dash:profile:isoff-live:2011"
	type="static"
	mediaPresentationDuration="PT6.0S"
	maxSegmentDuration="PT4.0S"
	minBufferTime="PT4.0S">
	<Period id="0" start="PT0.0S">
		<AdaptationSet id="0" contentType="video" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true" frameRate="30/1" maxWidth="1280" maxHeight="720" par="16:9">
			<Representation id="0" mimeType="video/mp4" codecs="avc1.4d401f" bandwidth="2500000" width="1280" height="720" sar="1:1">
				<SegmentTemplate timescale="15360" initialization="streams/$RepresentationID$/init.m4s" media="streams/$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1">
					<SegmentTimeline>
						<S t="0" d="15360" r="1" />
						<S d="30720" r="1" />
					</SegmentTimeline>
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
		<AdaptationSet id="1" contentType="audio" startWithSAP="1" segmentAlignment="true" bitstreamSwitching="true">
			<Representation id="1" mimeType="audio/mp4" codecs="mp4a.40.2" bandwidth="128000" audioSamplingRate="48000">
				<AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="2" />
				<SegmentTemplate timescale="48000" initialization="streams/$RepresentationID$/init.m4s" media="streams/$RepresentationID$/seg-$Number%05d$.m4s" startNumber="1">
					<SegmentTimeline>
						<S t="0" d="45056" />
						<S d="48128" />
						<S d="96256" />
						<S d="99328" />
					</SegmentTimeline>
				</SegmentTemplate>
			</Representation>
		</AdaptationSet>
	</Period>
</MPD>
`

const MEDIA = `#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-MAP:URI="streams/1/init.m4s"
#EXTINF:0.938667,
#EXT-X-PROGRAM-DATE-TIME:2026-11-23T07:17:09.000+0000
streams/1/seg-00001.m4s
#EXTINF:1.002667,
#EXT-X-PROGRAM-DATE-TIME:2026-11-23T07:17:09.939+0000
streams/1/seg-00002.m4s
#EXT-X-ENDLIST
`

const MASTER = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_1",DEFAULT=YES,URI="media_1.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=2634465,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2",AUDIO="group_A1"
media_0.m3u8

`

describe('parseMpd', () => {
  it('expands SegmentTemplate + SegmentTimeline into files and durations', () => {
    const mpd = parseMpd(MPD)
    expect(mpd.type).toBe('static')
    expect(mpd.durationS).toBe(6)
    const [video, audio] = mpd.representations
    expect(video).toMatchObject({
      id: '0',
      contentType: 'video',
      codecs: 'avc1.4d401f',
      bandwidth: 2_500_000,
      width: 1280,
      height: 720,
      init: 'streams/0/init.m4s',
    })
    expect(video.segments).toEqual([
      { uri: 'streams/0/seg-00001.m4s', durationS: 1 },
      { uri: 'streams/0/seg-00002.m4s', durationS: 1 },
      { uri: 'streams/0/seg-00003.m4s', durationS: 2 },
      { uri: 'streams/0/seg-00004.m4s', durationS: 2 },
    ])
    expect(audio).toMatchObject({ id: '1', contentType: 'audio', codecs: 'mp4a.40.2', init: 'streams/1/init.m4s' })
    expect(audio.segments.map((s) => s.uri)).toEqual([1, 2, 3, 4].map((n) => `streams/1/seg-0000${n}.m4s`))
    expect(audio.segments.reduce((a, s) => a + s.durationS, 0)).toBeCloseTo(6.016, 3)
  })

  it('reads a growing (dynamic) manifest', () => {
    expect(parseMpd(MPD.replace('type="static"', 'type="dynamic"')).type).toBe('dynamic')
  })
})

describe('HLS playlists', () => {
  it('reads a media playlist with its init segment and end marker', () => {
    expect(parseHlsMediaPlaylist(MEDIA)).toEqual({
      map: 'streams/1/init.m4s',
      targetDuration: 2,
      ended: true,
      segments: [
        { uri: 'streams/1/seg-00001.m4s', durationS: 0.938667 },
        { uri: 'streams/1/seg-00002.m4s', durationS: 1.002667 },
      ],
    })
    expect(parseHlsMediaPlaylist(MEDIA.replace('#EXT-X-ENDLIST\n', '')).ended).toBe(false)
  })

  it('reads variants and the audio rendition from the master playlist', () => {
    expect(parseHlsMaster(MASTER)).toEqual({
      variants: [{ uri: 'media_0.m3u8', bandwidth: 2_634_465, resolution: '1280x720', codecs: 'avc1.4d401f,mp4a.40.2', audio: 'group_A1' }],
      media: [{ type: 'AUDIO', uri: 'media_1.m3u8', groupId: 'group_A1', language: null, name: 'audio_1', default: true }],
    })
  })
})

describe('isoDurationS', () => {
  it.each([
    ['PT6.0S', 6],
    ['PT1H2M3.5S', 3723.5],
    ['PT27H46M40.0S', 100_000],
    ['P1DT1S', 86_401],
    ['junk', 0],
  ])('%s = %d s', (v, s) => expect(isoDurationS(v)).toBe(s))
})
