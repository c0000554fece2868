import { randomBytes } from 'node:crypto'
import { access, constants, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    await access(dir, constants.W_OK)
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
