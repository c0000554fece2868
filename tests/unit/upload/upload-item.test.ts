import { describe, expect, it } from 'vitest'
import { isVideoFile, titleFromFilename, uploadErrorMessage, uploadFailure } from '@/components/upload/upload-item'

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
  it('classifies a stopped upload by its response, not by the message shown', () => {
    // No response at all: the browser lost the network; the upload resumes when it is back.
    expect(uploadFailure(null)).toBe('offline')
    expect(uploadFailure(0)).toBe('offline')
    // The file itself is refused: resuming cannot help.
    for (const status of [401, 403, 413, 415, 422]) expect(uploadFailure(status)).toBe('refused')
    // The server failed: the viewer may resume.
    expect(uploadFailure(500)).toBe('failed')
    expect(uploadFailure(503)).toBe('failed')
  })
})
