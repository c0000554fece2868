import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import { parseHlsMaster } from '@/lib/pipeline/manifests'
import { makeMultiAudioClip } from '@/tests/fixtures/media'
import { base, uploadMultipart, userWithKey, waitForStatus } from './api/client'

export interface TwoLanguageVideo {
  id: string
  /** Absolute URLs of the public stream. */
  hls: string
  dash: string
  audioTracks: { language: string; label: string; default: boolean }[]
  /** File name of each language's HLS media playlist (media_<id>.m3u8). */
  playlists: Record<string, string>
}

/**
 * A public video from a Matroska upload with two audio languages, both marked default (as Matroska
 * often has it), so the viewer's language decides which one plays first. Processed by the real worker;
 * the same bytes uploaded again are stored once, so each test file may ask for it.
 */
export async function twoLanguageVideo(): Promise<TwoLanguageVideo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rh-audio-'))
  const clip = await makeMultiAudioClip(dir, {
    name: 'two-languages.mkv',
    seconds: 12,
    width: 640,
    height: 360,
    tracks: [
      { frequency: 440, language: 'eng', default: true },
      { frequency: 1000, language: 'fra', default: true },
    ],
  })
  const owner = await userWithKey()
  const res = await uploadMultipart(clip, { title: 'Two languages', visibility: 'public' }, owner.auth)
  expect(res.ok, `upload answered ${res.status}`).toBe(true)
  const { id } = (await res.json()) as { id: string }
  expect((await waitForStatus(id, owner.auth, ['ready', 'failed'], 240_000)).status).toBe('ready')
  const view = (await (await fetch(`${base()}/api/v1/videos/${id}`)).json()) as {
    audioTracks: TwoLanguageVideo['audioTracks']
    playback: { hls: string; dash: string }
  }
  const hls = new URL(view.playback.hls, base()).href
  const master = parseHlsMaster(await (await fetch(hls)).text())
  // The video's own master names the content's playlists by URL: keep the file names.
  const playlists = Object.fromEntries(
    master.media.filter((m) => m.type === 'AUDIO').map((m) => [m.language ?? 'und', path.posix.basename(new URL(m.uri, hls).pathname)]),
  )
  return { id, hls, dash: new URL(view.playback.dash, base()).href, audioTracks: view.audioTracks, playlists }
}
