import { describe, expect, it } from 'vitest'
import { chaptersFromDescription, chaptersInput, chaptersOf, chaptersVtt } from '@/lib/captions/chapters'
import { sanitizeCaptions } from '@/lib/captions/webvtt'

describe('chapters from a description', () => {
  it('reads YouTube-style timestamp lines, hours included', () => {
    const description = 'My trip.\n\n00:00 Intro\n1:05 - The beach\n12:30 | Dinner\n1:02:03 Outro\nThanks for watching'
    expect(chaptersFromDescription(description, 4_000_000)).toEqual([
      { startMs: 0, title: 'Intro' },
      { startMs: 65_000, title: 'The beach' },
      { startMs: 750_000, title: 'Dinner' },
      { startMs: 3_723_000, title: 'Outro' },
    ])
  })

  it('finds none unless the first is at 0:00, they ascend, there are two and they fit the video', () => {
    expect(chaptersFromDescription('0:10 Late start\n0:20 Next', null)).toEqual([])
    expect(chaptersFromDescription('0:00 Intro\n0:30 B\n0:20 Back in time', null)).toEqual([])
    expect(chaptersFromDescription('0:00 Only one', null)).toEqual([])
    expect(chaptersFromDescription('0:00 Intro\n5:00 Past the end', 60_000)).toEqual([])
    expect(chaptersFromDescription('Meet at 10:30 tomorrow', null)).toEqual([])
  })

  it("prefers the video's own chapters", () => {
    expect(chaptersOf({ chapters: [{ startMs: 0, title: 'Own' }], description: '0:00 A\n0:10 B' }, 60_000)).toEqual([{ startMs: 0, title: 'Own' }])
    expect(chaptersOf({ chapters: null, description: '0:00 A\n0:10 B' }, 60_000)).toHaveLength(2)
  })
})

describe('chapter input', () => {
  it('must be sorted, with titles of at most 100 characters', () => {
    expect(
      chaptersInput.safeParse({
        chapters: [
          { startMs: 0, title: 'A' },
          { startMs: 1000, title: 'B' },
        ],
      }).success,
    ).toBe(true)
    const unsorted = chaptersInput.safeParse({
      chapters: [
        { startMs: 5000, title: 'A' },
        { startMs: 1000, title: 'B' },
      ],
    })
    expect(unsorted.error?.issues[0].path).toEqual(['chapters', 1, 'startMs'])
    expect(chaptersInput.safeParse({ chapters: [{ startMs: 0, title: 'x'.repeat(101) }] }).success).toBe(false)
    expect(chaptersInput.safeParse({ chapters: [{ startMs: 0, title: '  ' }] }).success).toBe(false)
    expect(chaptersInput.safeParse({ chapters: [{ startMs: -1, title: 'A' }] }).success).toBe(false)
  })
})

describe('the chapters track', () => {
  it('is valid WebVTT, each chapter running to the next and the last to the end, titles escaped', () => {
    const vtt = chaptersVtt(
      [
        { startMs: 0, title: 'Intro <b>' },
        { startMs: 65_500, title: 'A --> B & C' },
      ],
      90_000,
    )
    expect(vtt).toBe('WEBVTT\n\nchapter-1\n00:00:00.000 --> 00:01:05.500\nIntro &lt;b&gt;\n\nchapter-2\n00:01:05.500 --> 00:01:30.000\nA --&gt; B &amp; C\n\n')
    expect(sanitizeCaptions(vtt).cues).toBe(2)
  })
})
