import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ConfigError, loadStreamingConfig, parseStreamingConfig } from '@/lib/config/streaming'

const shipped = parse(readFileSync(path.resolve('config/streaming.yaml'), 'utf8'))

/** The shipped document with `edit` applied to its `streaming` section. */
function variant(edit: (s: Record<string, unknown>) => void): unknown {
  const doc = structuredClone(shipped)
  edit(doc.streaming)
  return doc
}

function message(doc: unknown): string {
  try {
    parseStreamingConfig(doc, 'streaming.yaml')
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected the config to be refused')
}

describe('loadStreamingConfig', () => {
  it('loads the shipped config/streaming.yaml', () => {
    const c = loadStreamingConfig('config/streaming.yaml')
    expect(c.segmentDuration).toBe(4)
    expect(c.profiles.map((p) => p.name)).toEqual(['1080p', '720p', '480p', '360p'])
    expect(c.limits).toMatchObject({ maxWidth: 7680, maxHeight: 4320 })
    expect(c.directPlayMaxBytes).toBe(20 * 1024 * 1024)
    expect(c.startupSegments.every((d) => d <= c.segmentDuration)).toBe(true)
    expect(c.delivery).toEqual({ idleTimeoutS: 60, maxConnections: 1000, maxConnectionsPerClient: 100 })
  })

  it('names a missing file and broken YAML in one line', () => {
    expect(() => loadStreamingConfig('config/nope.yaml')).toThrow(/^cannot read streaming config config\/nope\.yaml: ENOENT$/)
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'))
    const bad = path.join(dir, 'bad.yaml')
    writeFileSync(bad, 'streaming:\n  profiles: [\n')
    expect(() => loadStreamingConfig(bad)).toThrow(/^invalid YAML in .*bad\.yaml: [^\n]+$/)
  })
})

describe('parseStreamingConfig', () => {
  it('sorts profiles from the highest', () => {
    const c = parseStreamingConfig(variant((s) => (s.profiles as unknown[]).reverse()))
    expect(c.profiles[0].name).toBe('1080p')
  })

  it.each([
    ['a missing section', (s: Record<string, unknown>) => delete s.encoder, /^invalid streaming\.yaml: streaming\.encoder: /],
    ['a typo in a key', (s: Record<string, unknown>) => (s.segment_duratoin = 4), /streaming: Unrecognized key.*segment_duratoin/],
    ['no profiles', (s: Record<string, unknown>) => (s.profiles = []), /streaming\.profiles: /],
    ['a negative height', (s: Record<string, unknown>) => ((s.profiles as { height: number }[])[1].height = -720), /streaming\.profiles\.1\.height: /],
    [
      'a duplicate name',
      (s: Record<string, unknown>) => ((s.profiles as { name: string }[])[1].name = '1080p'),
      /profiles\.1\.name: duplicate profile name "1080p"/,
    ],
    [
      'a start-up segment longer than a segment',
      (s: Record<string, unknown>) => (s.startup_segments = [1, 6]),
      /startup_segments\.1: must not exceed segment_duration/,
    ],
    ['an unknown preset', (s: Record<string, unknown>) => ((s.encoder as { preset: string }).preset = 'turbo'), /encoder\.preset: /],
    ['a zero idle timeout', (s: Record<string, unknown>) => (s.idle_timeout_s = 0), /streaming\.idle_timeout_s: /],
    [
      'a per-client ceiling above the total',
      (s: Record<string, unknown>) => (s.max_connections_per_client = 2000),
      /max_connections_per_client: must not exceed max_connections/,
    ],
    [
      'a string where a number belongs',
      (s: Record<string, unknown>) => ((s.limits as Record<string, unknown>).max_duration_s = '4h'),
      /limits\.max_duration_s: /,
    ],
  ])('refuses %s with one clear line', (_, edit, re) => {
    const msg = message(variant(edit))
    expect(msg).toMatch(re)
    expect(msg).not.toContain('\n')
  })

  it('defaults the delivery settings when they are left out', () => {
    const c = parseStreamingConfig(
      variant((s) => {
        delete s.idle_timeout_s
        delete s.max_connections
        delete s.max_connections_per_client
      }),
    )
    expect(c.delivery).toEqual({ idleTimeoutS: 60, maxConnections: 1000, maxConnectionsPerClient: 100 })
  })

  it('refuses a document without the streaming key', () => {
    expect(message({})).toMatch(/^invalid streaming\.yaml: streaming: /)
  })
})
