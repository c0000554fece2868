import { describe, expect, it } from 'vitest'
import { formatAge, formatBytes, formatDuration, formatViews } from '@/components/gallery/format'

describe('gallery formatting', () => {
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
