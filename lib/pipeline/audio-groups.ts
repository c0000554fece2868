// The HLS master's audio group. FFmpeg's DASH muxer writes the master once, early in the encode, with
// its audio renditions named "audio_<id>" and no LANGUAGE (it ignores the streams' language tags there,
// while the MPD's AdaptationSets get `lang`). We replace those lines with one standard group: every
// audio rendition with its LANGUAGE, NAME (the plan's label) and DEFAULT, and every variant naming it.
// The muxer never rewrites the master after its first write, so rewriting it in the work directory
// before the first player fetches it, and once more after FFmpeg exits, is race-free.

import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { HLS_MASTER } from '@/lib/content/layout'
import type { PlannedRendition } from './transcode-plan'

export const AUDIO_GROUP = 'aud'

export interface AudioGroupEntry {
  playlist: string
  language: string
  label: string
  isDefault: boolean
}

function mediaLine(t: AudioGroupEntry, channels: number): string {
  const language = t.language === 'und' ? '' : `,LANGUAGE="${t.language}"`
  const isDefault = t.isDefault ? 'YES' : 'NO'
  return `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP}"${language},NAME="${t.label}",DEFAULT=${isDefault},AUTOSELECT=YES,CHANNELS="${channels}",URI="${t.playlist}"`
}

/** Pure: the master with its audio renditions replaced by our group (unchanged when there is no audio). */
export function withAudioGroup(master: string, tracks: readonly AudioGroupEntry[], channels: number): string {
  if (tracks.length === 0) return master
  const out: string[] = []
  let written = false
  for (const line of master.split('\n')) {
    if (line.startsWith('#EXT-X-MEDIA:') && /(^|[:,])TYPE=AUDIO(,|$)/.test(line)) {
      if (!written) out.push(...tracks.map((t) => mediaLine(t, channels)))
      written = true
    } else if (line.startsWith('#EXT-X-STREAM-INF:')) {
      const named = line.replace(/,AUDIO="[^"]*"/, '')
      if (!written) out.push(...tracks.map((t) => mediaLine(t, channels)))
      written = true
      out.push(`${named},AUDIO="${AUDIO_GROUP}"`)
    } else out.push(line)
  }
  return out.join('\n')
}

/** The audio renditions of a plan as group entries, in representation order. */
export function audioGroupOf(renditions: readonly PlannedRendition[]): AudioGroupEntry[] {
  return renditions.flatMap((r) => (r.kind === 'audio' && r.audio ? [{ playlist: r.playlist, ...r.audio }] : []))
}

/**
 * Rewrites `<dir>/master.m3u8` with the plan's audio group (atomically, only when it changes).
 * Returns false while FFmpeg has not written the master yet.
 */
export async function writeAudioGroup(dir: string, renditions: readonly PlannedRendition[], channels: number): Promise<boolean> {
  const file = path.join(dir, HLS_MASTER)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return false
  }
  const next = withAudioGroup(text, audioGroupOf(renditions), channels)
  if (next !== text) {
    // Not FFmpeg's own `master.m3u8.tmp`; the `.tmp` suffix keeps it out of the promoted outputs.
    const tmp = `${file}.audio.tmp`
    await writeFile(tmp, next)
    await rename(tmp, file)
  }
  return true
}
