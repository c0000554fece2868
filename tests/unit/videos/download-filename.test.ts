import { describe, expect, it } from 'vitest'
import { downloadFilename } from '@/lib/videos/download'

describe('downloadFilename', () => {
  it('keeps a plain title and adds the extension', () => {
    expect(downloadFilename('Harbour at dusk', '.mp4')).toBe('Harbour at dusk.mp4')
    expect(downloadFilename('Café — été 2026 🎬', '.mov')).toBe('Café — été 2026 🎬.mov')
  })

  it('replaces separators, reserved and control characters', () => {
    expect(downloadFilename('../../etc/passwd', '.mp4')).toBe('_.._etc_passwd.mp4')
    expect(downloadFilename('a<b>c:d"e|f?g*h\\i', '.mkv')).toBe('a_b_c_d_e_f_g_h_i.mkv')
    expect(downloadFilename('line\r\nbreak\u0000', '.mp4')).toBe('line_break_.mp4')
  })

  it('never yields an empty, hidden, dotted or reserved name', () => {
    expect(downloadFilename('', '.mp4')).toBe('video.mp4')
    expect(downloadFilename('   ', '.mp4')).toBe('video.mp4')
    expect(downloadFilename('...', '.mp4')).toBe('video.mp4')
    expect(downloadFilename('.hidden', '.mp4')).toBe('hidden.mp4')
    expect(downloadFilename('trailing. ', '.mp4')).toBe('trailing.mp4')
    expect(downloadFilename('CON', '.mp4')).toBe('CON_.mp4')
  })

  it('caps long titles', () => {
    const name = downloadFilename('x'.repeat(500), '.webm')
    expect(name).toBe(`${'x'.repeat(120)}.webm`)
  })
})
