import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { CreateBucketCommand, S3ServiceException } from '@aws-sdk/client-s3'
import { createS3Client, type S3Settings } from '@/lib/content/store/s3-client'
import { freePort } from '@/lib/db/embedded'
import { runProgramOk } from '@/lib/launcher/programs'
import { ensureSwift } from '@/lib/launcher/system'
import { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION, ringBuilderScript, type SwiftPorts, swiftConfigFiles } from './config'

export interface LocalS3 {
  settings: S3Settings
  /** The environment that points the app at this server (`CONTENT_STORE=s3` and the `S3_*` variables). */
  env: Record<string, string>
  stop(): Promise<void>
}

const DAEMONS = ['account', 'container', 'object', 'proxy'] as const
const START_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 5000

// The daemons run as the caller: a loopback-only server for development and tests, whose files
// (under the caller's DATA_DIR or temp dir) stay the caller's. A system user would need to reach
// DATA_DIR, which below a private home it cannot.
const runningUser = () => os.userInfo().username

/**
 * Starts Swift + s3api (proxy, account, container and object servers, memcached) on 127.0.0.1 with
 * config, rings and data under `dir`, waits for every health check, and creates `bucket`.
 * `proxyPort` 0 (the default) picks a free one. `stop()` ends every daemon and waits for it.
 */
export async function startLocalS3(opts: { dir: string; bucket?: string; proxyPort?: number; logLevel?: string }): Promise<LocalS3> {
  ensureSwift()
  const bucket = opts.bucket ?? 'reelhouse'
  const etcDir = path.join(opts.dir, 'etc')
  const devicesDir = path.join(opts.dir, 'srv')
  const runDir = path.join(opts.dir, 'run')
  await mkdir(path.join(devicesDir, 'd1'), { recursive: true })
  await mkdir(etcDir, { recursive: true })
  await mkdir(runDir, { recursive: true })
  const user = runningUser()
  const ports: SwiftPorts = {
    proxy: opts.proxyPort || (await freePort()),
    account: await freePort(),
    container: await freePort(),
    object: await freePort(),
    memcached: await freePort(),
  }
  for (const [name, text] of Object.entries(swiftConfigFiles(ports, { etcDir, devicesDir, user, logLevel: opts.logLevel }))) {
    await writeFile(path.join(etcDir, name), text)
  }
  // Rebuilt on every start: the rings name the ports, which may differ from the last run's.
  runProgramOk('ring builder', '/usr/bin/python3', ['-I', '-'], { input: ringBuilderScript(ports, etcDir) })

  const children: ChildProcess[] = []
  const launch = (name: string, cmd: string, args: string[]) => {
    const log = openSync(path.join(runDir, `${name}.log`), 'a')
    const child = spawn(cmd, args, { stdio: ['ignore', log, log], detached: true })
    closeSync(log)
    child.once('error', () => {})
    children.push(child)
    return child
  }
  const stop = () => Promise.all(children.map(stopDaemon)).then(() => {})

  try {
    launch('memcached', 'memcached', [...(user === 'root' ? ['-u', 'root'] : []), '-l', '127.0.0.1', '-p', String(ports.memcached), '-U', '0', '-m', '32'])
    for (const name of DAEMONS) launch(name, `swift-${name}-server`, [path.join(etcDir, `${name}-server.conf`), '-v'])
    await waitHealthy(children, [ports.proxy, ports.account, ports.container, ports.object], runDir)
    const settings: S3Settings = {
      endpoint: `http://127.0.0.1:${ports.proxy}`,
      region: LOCAL_S3_REGION,
      bucket,
      prefix: '',
      forcePathStyle: true,
      ...LOCAL_S3_CREDENTIALS,
    }
    await createBucket(settings)
    return { settings, env: s3Env(settings), stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/** The variables `lib/config/env.ts` reads for an S3 store with these settings. */
export function s3Env(s: S3Settings): Record<string, string> {
  return {
    CONTENT_STORE: 's3',
    S3_ENDPOINT: s.endpoint ?? '',
    S3_REGION: s.region,
    S3_BUCKET: s.bucket,
    S3_PREFIX: s.prefix,
    S3_ACCESS_KEY_ID: s.accessKeyId ?? '',
    S3_SECRET_ACCESS_KEY: s.secretAccessKey ?? '',
    S3_FORCE_PATH_STYLE: s.forcePathStyle ? '1' : '0',
  }
}

async function createBucket(settings: S3Settings): Promise<void> {
  const client = createS3Client(settings)
  try {
    await client.send(new CreateBucketCommand({ Bucket: settings.bucket }))
  } catch (err) {
    // A data dir kept from an earlier run already has it.
    if (!(err instanceof S3ServiceException && err.name === 'BucketAlreadyOwnedByYou')) throw err
  } finally {
    client.destroy()
  }
}

async function waitHealthy(children: ChildProcess[], ports: number[], runDir: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  const healthy = (port: number) =>
    fetch(`http://127.0.0.1:${port}/healthcheck`, { signal: AbortSignal.timeout(1000) }).then(
      async (r) => r.ok && (await r.text()) === 'OK',
      () => false,
    )
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null)
    if (dead) throw new Error(`local S3: ${dead.spawnfile} exited during start-up: ${await logTail(runDir)}`)
    if ((await Promise.all(ports.map(healthy))).every(Boolean)) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`local S3: Swift did not become healthy in ${START_TIMEOUT_MS / 1000} s: ${await logTail(runDir)}`)
}

async function logTail(runDir: string): Promise<string> {
  const lines: string[] = []
  for (const name of ['memcached', ...DAEMONS]) {
    const text = await readFile(path.join(runDir, `${name}.log`), 'utf8').catch(() => '')
    const last = text.trim().split('\n').filter(Boolean).slice(-2)
    if (last.length) lines.push(`${name}: ${last.join(' | ')}`)
  }
  return lines.join('; ') || `no output (logs in ${runDir})`
}

/** SIGTERM, SIGKILL after a grace period; resolves once the process has exited (we reap our own children). */
function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
