import { describe, expect, it } from 'vitest'
import { parseStreamingConfig } from '@/lib/config/streaming'
import { ladderUpTo } from '@/lib/transcode/handler'
import { CircuitBreaker } from '@/lib/transcode/breaker'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const config = parseStreamingConfig(parse(readFileSync('config/streaming.yaml', 'utf8')))

describe('re-encode at a chosen profile', () => {
  it('keeps the chosen rung and those below it', () => {
    expect(ladderUpTo(config, '720p').profiles.map((p) => p.name)).toEqual(['720p', '480p', '360p'])
  })
  it('keeps the full ladder without a profile or with an unknown one', () => {
    expect(ladderUpTo(config, null).profiles).toHaveLength(config.profiles.length)
    expect(ladderUpTo(config, 'nope').profiles).toHaveLength(config.profiles.length)
  })
})

describe('circuit breaker', () => {
  it('opens after repeated systemic failures, reports why, and half-opens after the cool-down', () => {
    let now = 0
    const b = new CircuitBreaker(3, 1000, () => now)
    b.recordSystemicFailure('ffmpeg missing')
    b.recordSystemicFailure('ffmpeg missing')
    expect(b.canClaim()).toBe(true)
    b.recordSystemicFailure('ffmpeg missing')
    expect(b.canClaim()).toBe(false)
    expect(b.beat()).toEqual({ breakerOpen: true, breakerReason: 'ffmpeg missing' })
    now = 1500
    expect(b.canClaim()).toBe(true)
    b.recordSuccess()
    expect(b.beat()).toEqual({ breakerOpen: false, breakerReason: null })
  })
})
