import { spawnSync } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { s3Env } from '@/lib/launcher/local-s3/server'

// `npm run worker` / `npm run web` with CONTENT_STORE=s3 check the bucket before anything starts.
function launchWorker(env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, ['workers/bootstrap.mjs', 'worker'], {
    encoding: 'utf8',
    env: { ...process.env, SEED_DEMO: '0', ...env },
    // A cold start (tsx compiling the launcher) on a loaded machine can take a minute by itself.
    timeout: 180_000,
  })
  return { code: r.status, stderrLines: r.stderr.trim().split('\n').filter(Boolean) }
}

describe('launcher with CONTENT_STORE=s3', () => {
  const s3 = inject('s3')

  it('stops with one clear line when the bucket does not exist', () => {
    const r = launchWorker({ ...s3Env(s3), S3_BUCKET: 'no-such-bucket' })
    expect(r.code).toBe(1)
    expect(r.stderrLines).toEqual([`reelhouse: S3 bucket "no-such-bucket" at ${s3.endpoint} is not reachable: no such bucket`])
  })

  it('stops with one clear line when the credentials are wrong', () => {
    const r = launchWorker({ ...s3Env(s3), S3_SECRET_ACCESS_KEY: 'not-the-secret' })
    expect(r.code).toBe(1)
    expect(r.stderrLines).toHaveLength(1)
    expect(r.stderrLines[0]).toMatch(/^reelhouse: S3 bucket ".+" at .+ is not reachable: access denied .*check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY$/)
  })

  it('stops with one clear line when CONTENT_STORE=s3 has no bucket', () => {
    const r = launchWorker({ CONTENT_STORE: 's3', S3_BUCKET: undefined })
    expect(r.code).toBe(1)
    expect(r.stderrLines).toEqual(['reelhouse: invalid S3_BUCKET: is required when CONTENT_STORE=s3'])
  })
})
