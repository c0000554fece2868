import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import { createApiKey } from '@/lib/auth/api-keys'
import { createUser } from '@/lib/auth/users'
import { db } from '@/lib/db'

export const base = () => inject('baseUrl')

/** A fresh user (USER or ADMIN) with an API key holding the given scopes. */
export async function userWithKey(role: 'USER' | 'ADMIN' = 'USER', scopes: ('read' | 'write' | 'admin')[] = ['read', 'write']) {
  const email = `${role.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@api.test`
  const user = await createUser({ email, password: 'password-123', role })
  const { key } = await createApiKey(user.id, { name: 'test', scopes: role === 'ADMIN' ? scopes : scopes.filter((s) => s !== 'admin') })
  return { user, key, auth: { authorization: `Bearer ${key}` } }
}

/** A short H.264/AAC MP4 made by FFmpeg (distinct bytes per `seed`). */
export function makeMp4(name: string, opts: { seconds?: number; size?: string; seed?: number; title?: string } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rh-clip-'))
  const file = path.join(dir, name)
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${opts.size ?? '320x180'}:rate=25`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${440 + (opts.seed ?? 0)}`,
    '-t',
    String(opts.seconds ?? 2),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    '-movflags',
    '+faststart',
    ...(opts.title ? ['-metadata', `title=${opts.title}`] : []),
    file,
  ])
  return file
}

export async function uploadMultipart(file: string, fields: Record<string, string>, headers: Record<string, string>) {
  const { readFile } = await import('node:fs/promises')
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  form.set('file', new Blob([await readFile(file)], { type: 'video/mp4' }), path.basename(file))
  return fetch(`${base()}/api/v1/videos`, { method: 'POST', body: form, headers })
}

export async function waitForStatus(id: string, headers: Record<string, string>, want: string[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  let last: { status: string } | null = null
  while (Date.now() < deadline) {
    last = await (await fetch(`${base()}/api/v1/videos/${id}`, { headers })).json()
    if (last && want.includes(last.status)) return last as Record<string, unknown> & { status: string }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`video ${id} did not reach ${want}: ${JSON.stringify(last)}`)
}

export const sessionsFor = (hash: string) => db.transcodeSession.findMany({ where: { contentHash: hash } })
