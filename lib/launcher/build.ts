import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { runProgramOk } from './programs'

// What the production bundle is built from. A change here means `next build` runs again.
const INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'proxy.ts',
  'instrumentation-client.ts',
  'prisma/schema.prisma',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
]
const SKIP = new Set(['generated', 'node_modules'])
const STAMP = path.join('.next', 'reelhouse-build-hash')

async function* files(p: string): AsyncGenerator<string> {
  const entries = await readdir(p, { withFileTypes: true }).catch(() => null)
  if (!entries) {
    if (existsSync(p)) yield p
    return
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(e.name)) continue
    const full = path.join(p, e.name)
    if (e.isDirectory()) yield* files(full)
    else yield full
  }
}

export async function sourceHash(): Promise<string> {
  const h = createHash('sha256')
  for (const input of INPUTS) {
    for await (const f of files(input))
      h.update(f)
        .update('\0')
        .update(await readFile(f))
        .update('\0')
  }
  return h.digest('hex')
}

/** Runs `next build` unless the last build was made from the same sources. Returns whether it built. */
export async function buildIfStale(): Promise<boolean> {
  const hash = await sourceHash()
  const last = (await readFile(STAMP, 'utf8').catch(() => '')).trim()
  if (last === hash && existsSync(path.join('.next', 'BUILD_ID'))) return false
  console.log('reelhouse: building the production bundle (sources changed)…')
  runProgramOk('next build', process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  })
  await writeFile(STAMP, hash)
  return true
}
