import { describe, expect, it } from 'vitest'
import { readEnv } from '@/lib/config/env'

describe('MEDIA_ORIGIN', () => {
  const site = { NEXTAUTH_URL: 'https://video.example.org' }

  it('takes an origin on another host name', () => {
    expect(readEnv({ ...site, MEDIA_ORIGIN: 'https://media.example.org' }).MEDIA_ORIGIN).toBe('https://media.example.org')
    expect(readEnv({ ...site, MEDIA_ORIGIN: 'https://media.example.org/' }).MEDIA_ORIGIN).toBe('https://media.example.org')
    expect(readEnv({ ...site }).MEDIA_ORIGIN).toBeUndefined()
  })

  it('refuses the site host on another port (cookies would reach it), a path, or another scheme', () => {
    expect(() => readEnv({ ...site, MEDIA_ORIGIN: 'https://video.example.org:8443' })).toThrow(/MEDIA_ORIGIN/)
    expect(() => readEnv({ HOST: '127.0.0.1', PORT: '3000', MEDIA_ORIGIN: 'http://127.0.0.1:3001' })).toThrow(/MEDIA_ORIGIN/)
    expect(() => readEnv({ ...site, MEDIA_ORIGIN: 'https://media.example.org/files' })).toThrow(/MEDIA_ORIGIN/)
    expect(() => readEnv({ ...site, MEDIA_ORIGIN: 'ftp://media.example.org' })).toThrow(/MEDIA_ORIGIN/)
  })
})
