import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import type { S3Settings } from '@/lib/content/store/s3-client'
import { startLocalS3 } from '@/lib/launcher/local-s3/server'

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3Settings
  }
}

// A real S3 server (OpenStack Swift with s3api, from Debian) for the `s3` project only, started
// once per run on free ports with its data in a temp dir, stopped and removed afterwards.
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'reelhouse-s3-'))
  const s3 = await startLocalS3({ dir, bucket: 'reelhouse-test' })
  project.provide('s3', s3.settings)
  return async () => {
    await s3.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
