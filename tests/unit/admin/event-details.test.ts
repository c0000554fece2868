import { describe, expect, it } from 'vitest'
import { eventDetails } from '@/components/admin/event-details'

describe('session timeline details', () => {
  it('reads progress as percent and speed, without the duplicate 0..1 progress', () => {
    expect(eventDetails({ progress: 0.42, percent: 42.3, encodeSpeed: 2.4, segmentsReady: 5, segmentsTotal: 12 })).toEqual([
      { label: 'percent', value: '42 %' },
      { label: 'speed', value: '2.40× realtime' },
      { label: 'segments ready', value: '5' },
      { label: 'segments total', value: '12' },
    ])
  })

  it('formats durations, flags and plain text', () => {
    expect(eventDetails({ playable: true, afterMs: 1234 })).toEqual([
      { label: 'playable', value: 'yes' },
      { label: 'after', value: '1.2 s' },
    ])
    expect(eventDetails({ reason: 'ffmpeg exited with code 1' })).toEqual([{ label: 'reason', value: 'ffmpeg exited with code 1' }])
    expect(eventDetails({ progress: 0.5 })).toEqual([{ label: 'progress', value: '0.5' }])
  })
})
