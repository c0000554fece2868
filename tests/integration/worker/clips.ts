import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { tempDir, writeHashed } from '@/lib/content/store'
import { ingestUpload } from '@/lib/videos/ingest'

/** A synthetic H.264/AAC clip (its own tone, so no two dedupe) ingested as a public upload: queues its encode. */
export async function ingestClip(opts: { seconds: number; size: string; tone: number }, ownerId: string, title = 'w') {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rh-worker-'))
  const file = path.join(dir, 'clip.mp4')
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${opts.size}:rate=25`, '-f', 'lavfi', '-i', `sine=frequency=${opts.tone}`],
    ...['-t', String(opts.seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file],
  ])
  const temp = path.join(tempDir(), `upload-${opts.tone}-${Date.now()}`)
  const { hash, size } = await writeHashed(createReadStream(file), temp)
  await rm(dir, { recursive: true })
  return ingestUpload({ ownerId, tempPath: temp, hash, size, metadata: { title, description: '', visibility: 'PUBLIC' } })
}
