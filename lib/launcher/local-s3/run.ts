import path from 'node:path'
import type { Env } from '@/lib/config/env'
import { startLocalS3 } from './server'

/**
 * `npm run s3:local`: a local S3 server (Swift + s3api) on S3_LOCAL_PORT with its data under
 * DATA_DIR/s3-local (kept across runs), until Ctrl-C. Prints the environment that points web and
 * worker at it.
 */
export async function runLocalS3(env: Env): Promise<void> {
  const dir = path.join(env.dataDir, 's3-local')
  const t0 = Date.now()
  const s3 = await startLocalS3({ dir, proxyPort: env.S3_LOCAL_PORT })
  console.log(`reelhouse: local S3 (Swift s3api) ready on ${s3.settings.endpoint} in ${((Date.now() - t0) / 1000).toFixed(1)} s, data in ${dir}`)
  console.log('reelhouse: run web and worker with:')
  for (const [k, v] of Object.entries(s3.env)) if (v) console.log(`${k}=${v}`)
  console.log('reelhouse: Ctrl-C stops it')
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await s3.stop()
    console.log('reelhouse: local S3 stopped')
    process.exit(0)
  }
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop())
}
