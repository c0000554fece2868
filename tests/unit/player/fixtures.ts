import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

// MP4 fixtures made by FFmpeg at test time (nothing binary in git): 1-second fragments.

export interface Fixtures {
  dir: string
  fragmented: Buffer
  noMfra: Buffer
  plain: Buffer
  moovAtEnd: Buffer
  remove(): void
}

export function makeFixtures(seconds = 10): Fixtures {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'reelhouse-player-'))
  const make = (name: string, movflags: string[]) => {
    const out = path.join(dir, name)
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=320x180:rate=30`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '30',
      '-keyint_min',
      '30',
      '-sc_threshold',
      '0',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      ...movflags,
      out,
    ])
    return readFileSync(out)
  }
  return {
    dir,
    fragmented: make('frag.mp4', ['-movflags', 'frag_keyframe+empty_moov+default_base_moof']),
    noMfra: make('nomfra.mp4', ['-movflags', 'frag_keyframe+empty_moov+default_base_moof+skip_trailer']),
    plain: make('plain.mp4', ['-movflags', '+faststart']),
    moovAtEnd: make('moovend.mp4', []),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
