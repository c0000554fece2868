import { describe, expect, it } from 'vitest'
import { formatAge, formatBytes, formatDuration, formatViews } from '@/components/gallery/format'
import { isVideoFile, titleFromFilename, uploadErrorMessage } from '@/components/upload/upload-item'

describe('upload helpers', () => {
  it('tells videos from other files', () => {
    expect(isVideoFile({ name: 'a.mp4', type: 'video/mp4' })).toBe(true)
    expect(isVideoFile({ name: 'a.mkv', type: '' })).toBe(true)
    expect(isVideoFile({ name: 'notes.txt', type: 'text/plain' })).toBe(false)
    expect(isVideoFile({ name: 'x.pdf', type: '' })).toBe(false)
  })
  it('derives titles and clear error messages', () => {
    expect(titleFromFilename('my_holiday-2024.final.mp4')).toBe('my holiday 2024.final')
    expect(uploadErrorMessage(413, '', 'x')).toMatch(/too large/)
    expect(uploadErrorMessage(422, JSON.stringify({ detail: 'title: a title is required' }), 'x')).toBe('title: a title is required')
    expect(uploadErrorMessage(null, null, 'x')).toMatch(/Connection lost/)
    expect(uploadErrorMessage(500, null, 'x')).toMatch(/server failed/)
  })
  it('formats durations, views, ages and sizes', () => {
    expect(formatDuration(65_000)).toBe('1:05')
    expect(formatDuration(3_725_000)).toBe('1:02:05')
    expect(formatDuration(null)).toBeNull()
    expect(formatViews(1)).toBe('1 view')
    expect(formatViews(1530)).toBe('1.5K views')
    expect(formatAge(new Date(Date.now() - 3 * 86400_000).toISOString())).toBe('3 days ago')
    expect(formatBytes(1536)).toBe('1.5 KB')
  })
})
