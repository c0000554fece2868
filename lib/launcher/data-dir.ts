import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'

export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    // One level at a time: Node's recursive mkdir spins on pseudo file systems such as /proc,
    // and root passes access() checks anyway, so a probe file is the real test.
    const missing: string[] = []
    for (let p = path.resolve(dir); !(await stat(p).catch(() => null)); p = path.dirname(p)) missing.unshift(p)
    for (const p of missing) await mkdir(p)
    const probe = path.join(dir, `.write-test-${process.pid}`)
    await writeFile(probe, '')
    await rm(probe)
  } catch {
    throw new Error(`DATA_DIR ${dir} is not writable (set DATA_DIR to a directory you can write)`)
  }
}

/** NEXTAUTH_SECRET from the environment, else one generated once and kept in DATA_DIR. */
export async function ensureAuthSecret(dataDir: string, configured?: string): Promise<string> {
  if (configured) return configured
  const file = path.join(dataDir, 'auth-secret')
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim()
  if (existing) return existing
  const secret = randomBytes(32).toString('base64url')
  await writeFile(file, `${secret}\n`, { mode: 0o600 })
  return secret
}
