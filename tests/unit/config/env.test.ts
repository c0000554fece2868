import { describe, expect, it } from 'vitest'
import { readEnv } from '@/lib/config/env'
import { mediaCorsPolicy } from '@/lib/config/media-origin'

describe('readEnv', () => {
  it('fills the documented defaults for an empty environment', () => {
    const e = readEnv({})
    expect(e.WORKER_LEASE_MS).toBe(30_000)
    expect(e.API_RATE_LIMIT_PER_MINUTE).toBe(600)
    expect(e.API_RATE_LIMIT_BURST).toBeUndefined()
    expect(e.STREAMING_CONFIG).toBe('config/streaming.yaml')
  })

  it('turns numeric settings into numbers', () => {
    const e = readEnv({ WORKER_LEASE_MS: '3000', API_RATE_LIMIT_PER_MINUTE: '60', API_RATE_LIMIT_BURST: '5' })
    expect([e.WORKER_LEASE_MS, e.API_RATE_LIMIT_PER_MINUTE, e.API_RATE_LIMIT_BURST]).toEqual([3000, 60, 5])
  })

  it.each([
    ['WORKER_LEASE_MS', 'soon'],
    ['WORKER_LEASE_MS', '10'],
    ['API_RATE_LIMIT_PER_MINUTE', '0'],
    ['API_RATE_LIMIT_BURST', '1.5'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['CORS_ORIGINS', 'player.example.com'],
    ['CORS_ORIGINS', 'https://player.example.com/embed'],
    ['CORS_ORIGINS', 'https://a.example.com,*'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    expect(() => readEnv({ [name]: value })).toThrow(new RegExp(`^invalid ${name}: `))
  })

  it('reads CORS_ORIGINS as a list of origins, none by default', () => {
    expect(readEnv({}).CORS_ORIGINS).toEqual([])
    expect(readEnv({ CORS_ORIGINS: 'https://player.example.com/, http://127.0.0.1:8081' }).CORS_ORIGINS).toEqual([
      'https://player.example.com',
      'http://127.0.0.1:8081',
    ])
  })

  it("adds the site's own origin to the private CORS origins only when media lives on MEDIA_ORIGIN", () => {
    const partners = { CORS_ORIGINS: 'https://partner.example', NEXTAUTH_URL: 'https://video.example/' }
    expect(mediaCorsPolicy(readEnv(partners)).privateOrigins).toEqual(['https://partner.example'])
    expect(mediaCorsPolicy(readEnv({ ...partners, MEDIA_ORIGIN: 'https://media.example.net' })).privateOrigins).toEqual([
      'https://partner.example',
      'https://video.example',
    ])
  })
})
