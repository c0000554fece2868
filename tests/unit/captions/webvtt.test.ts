import { describe, expect, it } from 'vitest'
import { decodeCaptionBytes, sanitizeCaptions, vttTimestamp } from '@/lib/captions/webvtt'
import { AppError } from '@/lib/errors'

function refusal(text: string): { status: number; line: unknown; detail: string } {
  try {
    sanitizeCaptions(text)
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, line: err.details?.line, detail: err.message }
    throw err
  }
  throw new Error('accepted')
}

describe('caption files become sanitized WebVTT', () => {
  it('converts SubRip to WebVTT, keeping the cues and their times', () => {
    const srt = '1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\n\r\n2\r\n00:00:03,057 --> 00:01:04,000\r\n<i>World</i>\r\n'
    const out = sanitizeCaptions(srt)
    expect(out.format).toBe('srt')
    expect(out.cues).toBe(2)
    expect(out.vtt).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello\n\n2\n00:00:03.057 --> 00:01:04.000\n<i>World</i>\n\n')
  })

  it('keeps WebVTT tags and settings, escapes HTML and drops styles', () => {
    const vtt = [
      'WEBVTT',
      'Kind: captions',
      '',
      'STYLE',
      '::cue { background: url(https://tracker.example/x) }',
      '',
      '00:01.000 --> 00:02.000 align:start line:0',
      '<v Bob>Hi</v> <b>bold</b> <c.loud>x</c> <script>alert(1)</script> <img src=x onerror=alert(1)> &amp; <font color="red">r</font>',
    ].join('\n')
    const out = sanitizeCaptions(vtt).vtt
    expect(out).toContain('00:00:01.000 --> 00:00:02.000 align:start line:0\n')
    expect(out).toContain('<v Bob>Hi</v> <b>bold</b> <c.loud>x</c> alert(1)')
    expect(out).not.toMatch(/<script|<img|<font|onerror=|STYLE|tracker/)
    expect(out).toContain('&amp;')
  })

  it('refuses a file that is neither WebVTT nor SRT, at line 1', () => {
    expect(refusal('hello there\nnothing timed here\n')).toMatchObject({ status: 422, line: 1 })
    expect(refusal('')).toMatchObject({ status: 422, line: 1 })
    expect(refusal('WEBVTT\n\nNOTE only a note\n')).toMatchObject({ status: 422, detail: expect.stringMatching(/no cues/) })
  })

  it('names the line of broken timing', () => {
    expect(refusal('WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:05.000 --> 00:03.000\nbackwards\n')).toMatchObject({ status: 422, line: 6 })
    expect(refusal('WEBVTT\n\n00:01.000 --> 00:0x.000\nbad\n')).toMatchObject({ status: 422, line: 3 })
    // In SRT terms: the line numbers of the uploaded file, not of the converted one.
    expect(refusal('1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:09,000 --> 00:00:03,000\nbackwards\n')).toMatchObject({ status: 422, line: 6 })
  })

  it('reads UTF-8 with a BOM and falls back to Windows-1252', () => {
    expect(decodeCaptionBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x57]))).toBe('W')
    expect(decodeCaptionBytes(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBe('café')
  })

  it('writes timestamps to the millisecond without float drift', () => {
    expect(vttTimestamp(1.057)).toBe('00:00:01.057')
    expect(vttTimestamp(3723.5)).toBe('01:02:03.500')
  })
})
