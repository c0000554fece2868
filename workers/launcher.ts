// The launcher behind `npm start` / `npm run dev|web|worker|cli` / `npm test` (after bootstrap.mjs
// installed the npm packages): checks the machine and configuration, provides a database,
// migrates, prepares the admin account and the bundle, then runs web and worker.
import type { ChildProcess } from 'node:child_process'
import { readEnv } from '@/lib/config/env'
import { deployMigrations } from '@/lib/db/migrations'
import { buildIfStale } from '@/lib/launcher/build'
import { runChild, stopChild } from '@/lib/launcher/children'
import { ensureAuthSecret, ensureWritableDir } from '@/lib/launcher/data-dir'
import { resolveDatabase } from '@/lib/launcher/database'
import { assertPortFree } from '@/lib/launcher/port'
import { ensureChromium, ensureFfmpeg, ensureNginx, ensureSwift } from '@/lib/launcher/system'
import { runTestSuite } from '@/lib/launcher/test-suite'

type Mode = 'start' | 'dev' | 'web' | 'worker' | 'cli' | 'test' | 's3-local'

async function prepare(mode: Mode) {
  const env = readEnv()
  await ensureWritableDir(env.dataDir)
  if (mode !== 'cli') ensureFfmpeg()
  const secret = await ensureAuthSecret(env.dataDir, env.NEXTAUTH_SECRET)
  if (mode !== 'cli' && env.CONTENT_STORE === 's3') {
    // Loaded only here: a local store's start does not pay for the S3 SDK.
    const [{ checkS3Store }, { s3SettingsFromEnv }] = await Promise.all([import('@/lib/content/store/check'), import('@/lib/content/store/s3-client')])
    await checkS3Store(s3SettingsFromEnv(env))
  }
  const database = await resolveDatabase(env.DATABASE_URL, env.dataDir)
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    DATA_DIR: env.dataDir,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`,
  }
  Object.assign(process.env, childEnv)
  return { env, database, childEnv }
}

async function setUpDatabase(databaseUrl: string, adminEmail: string, adminPassword: string | undefined) {
  const applied = await deployMigrations(databaseUrl)
  if (applied.length) console.log(`reelhouse: applied migrations ${applied.join(', ')}`)
  const { ensureAdmin } = await import('@/lib/auth/users')
  const generated = await ensureAdmin(adminEmail, adminPassword)
  if (generated) {
    console.log(`reelhouse: created admin ${adminEmail} with password ${generated}`)
    console.log('reelhouse: (shown once; change it or set ADMIN_PASSWORD)')
  }
}

async function serve(mode: Exclude<Mode, 'cli' | 'test'>) {
  const { env, database, childEnv } = await prepare(mode)
  let stopping = false
  const children: ChildProcess[] = []
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    await Promise.all(children.map((c) => stopChild(c)))
    await database.stop()
    console.log('reelhouse: stopped')
    process.exit(code)
  }
  // From here on the embedded PostgreSQL runs in a process group of its own, which a terminal's
  // Ctrl-C does not reach: every way out (a failed step, a signal during the build) stops it.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(0))
  try {
    if (mode !== 'worker') await assertPortFree(env.PORT, env.HOST)
    await setUpDatabase(database.url, env.ADMIN_EMAIL, env.ADMIN_PASSWORD)
    const production = mode !== 'dev'
    Object.assign(childEnv, { NODE_ENV: production ? 'production' : 'development' })
    if (production && mode !== 'worker') await buildIfStale()
    if (mode === 'start' && env.SEED_DEMO === '1') {
      const { seedDemoContent } = await import('@/lib/content/demo')
      await seedDemoContent(env.ADMIN_EMAIL).catch((err) => console.error(`reelhouse: demo content skipped: ${err.message}`))
    }
  } catch (err) {
    console.error(`reelhouse: ${err instanceof Error ? err.message : err}`)
    return stop(1)
  }
  if (stopping) return

  const onEnd = (code: number | null, startError?: Error) => {
    if (stopping) return
    console.error(`reelhouse: ${startError?.message ?? `a child process exited (code ${code})`}; stopping`)
    void stop(code || 1)
  }
  if (mode !== 'worker') children.push(runChild('web', 'server.ts', childEnv, onEnd))
  if (mode !== 'web') children.push(runChild('worker', 'workers/transcoder.ts', childEnv, onEnd))
}

async function main() {
  // The pinned AWS SDK warns on every start that its releases after January 2027 need Node 22
  // (this project supports Node 20): a known fact about upgrading, not news to print each time.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const [mode = 'start', ...rest] = process.argv.slice(2) as [Mode, ...string[]]
  switch (mode) {
    case 'start':
    case 'dev':
    case 'web':
    case 'worker':
      return serve(mode)
    case 'cli': {
      const { database } = await prepare('cli')
      const { runCli } = await import('./cli')
      const code = await runCli(rest).finally(() => database.stop())
      process.exit(code)
      break
    }
    case 's3-local':
      return (await import('@/lib/launcher/local-s3/run')).runLocalS3(readEnv())
    case 'test':
      ensureFfmpeg()
      ensureChromium()
      ensureNginx()
      ensureSwift()
      process.exit(await runTestSuite(rest))
      break
    default:
      throw new Error(`unknown mode ${mode}`)
  }
}

main().catch((err) => {
  console.error(`reelhouse: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
})
