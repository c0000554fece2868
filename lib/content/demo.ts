import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { env } from '@/lib/config/env'
import { db } from '@/lib/db'
import { ingestUpload } from '@/lib/videos/ingest'
import { tempDir, writeHashed } from './store'

const run = promisify(execFile)

/** Three short FFmpeg test patterns with audio, in different sizes, so a first start has a gallery. */
export const DEMO_CLIPS = [
  { title: 'Test pattern in 720p', description: 'A moving test pattern with a 440 Hz tone.', size: '1280x720', source: 'testsrc2', tone: 440, seconds: 12 },
  { title: 'Colour bars, 480p', description: 'SMPTE HD bars with a 660 Hz tone.', size: '854x480', source: 'smptehdbars', tone: 660, seconds: 8 },
  { title: 'Mandelbrot zoom, square', description: 'A fractal zoom with a low tone.', size: '640x640', source: 'mandelbrot', tone: 220, seconds: 10 },
] as const

/** Puts the demo clips through the real ingest path once per DATA_DIR (a marker file records it). */
export async function seedDemoContent(adminEmail: string): Promise<number> {
  const marker = path.join(env().dataDir, '.demo-seeded')
  if (await stat(marker).catch(() => null)) return 0
  const admin = await db.user.findUnique({ where: { email: adminEmail.toLowerCase() } })
  if (!admin) throw new Error(`no admin ${adminEmail}`)
  await mkdir(tempDir(), { recursive: true })
  for (const clip of DEMO_CLIPS) {
    const rendered = path.join(tempDir(), `demo-${randomUUID()}.mp4`)
    try {
      await run('ffmpeg', [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `${clip.source}=size=${clip.size}:rate=30`,
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=${clip.tone}:sample_rate=48000`,
        '-t',
        String(clip.seconds),
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-shortest',
        '-movflags',
        '+faststart',
        rendered,
      ])
      // Same path as an upload: hash while copying into a temp file, then ingest.
      const temp = path.join(tempDir(), `upload-${randomUUID()}`)
      const { hash, size } = await writeHashed(createReadStream(rendered), temp)
      await ingestUpload({
        ownerId: admin.id,
        tempPath: temp,
        hash,
        size,
        metadata: { title: clip.title, description: clip.description, visibility: 'PUBLIC' },
      })
    } finally {
      await rm(rendered, { force: true })
    }
  }
  await writeFile(marker, new Date().toISOString())
  console.log(`reelhouse: added ${DEMO_CLIPS.length} demo videos (SEED_DEMO=0 skips this)`)
  return DEMO_CLIPS.length
}
