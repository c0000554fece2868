import { spawnSync } from 'node:child_process'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { actorFromApiKey } from '@/lib/auth/api-keys'
import { db, disconnectDb } from '@/lib/db'

// The launcher as users run it (`npm start`, `npm run cli`), through the same bootstrap script.
function launch(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, ['workers/bootstrap.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SEED_DEMO: '0', ...env },
    timeout: 60_000,
  })
  return { code: r.status, stdout: r.stdout, stderrLines: r.stderr.trim().split('\n').filter(Boolean) }
}

describe('launcher configuration errors', () => {
  afterAll(disconnectDb)

  it('stops with one clear line when DATA_DIR is not writable', () => {
    const r = launch(['start'], { DATA_DIR: '/proc/reelhouse-nope' })
    expect(r.code).toBe(1)
    expect(r.stderrLines).toEqual(['reelhouse: DATA_DIR /proc/reelhouse-nope is not writable (set DATA_DIR to a directory you can write)'])
  })

  it('stops with one clear line when DATABASE_URL is malformed', () => {
    const r = launch(['start'], { DATABASE_URL: 'mysql:/nonsense' })
    expect(r.code).toBe(1)
    expect(r.stderrLines).toEqual(['reelhouse: invalid DATABASE_URL: must be a postgres:// URL'])
  })

  it('stops with one clear line when the port is taken', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as net.AddressInfo
    const r = launch(['start'], { PORT: String(port), HOST: '127.0.0.1' })
    blocker.close()
    expect(r.code).toBe(1)
    expect(r.stderrLines).toEqual([`reelhouse: port ${port} on 127.0.0.1 is already in use (set PORT)`])
  })

  it('stops with one clear line naming a program that cannot run', () => {
    // Nothing on PATH: the shell the FFmpeg check asks cannot start (status and output are null).
    const r = launch(['start'], { PATH: '/nonexistent' })
    expect(r.code).toBe(1)
    expect(r.stderrLines).toEqual(['reelhouse: sh could not run: ENOENT (sh)'])
  })

  it('stops with one clear line when DATABASE_URL cannot be reached', () => {
    const r = launch(['start'], { DATABASE_URL: 'postgresql://x:y@127.0.0.1:1/none' })
    expect(r.code).toBe(1)
    expect(r.stderrLines).toHaveLength(1)
    expect(r.stderrLines[0]).toMatch(/^reelhouse: cannot reach DATABASE_URL \(127\.0\.0\.1:1\)/)
  })
})

describe('cli', () => {
  it('creates a user and an API key whose secret is printed alone on the last line and stored only as a hash', async () => {
    const email = `cli-${Date.now()}@example.test`
    const user = launch(['cli', 'user', 'create', '--email', email, '--password', 'correct horse'], {})
    expect(user.code).toBe(0)
    expect(user.stdout).toContain(`created user ${email}`)

    const dup = launch(['cli', 'user', 'create', '--email', email, '--password', 'correct horse'], {})
    expect(dup.code).toBe(1)
    expect(dup.stderrLines.at(-1)).toContain('exists already')

    const created = launch(['cli', 'api-key', 'create', '--email', email, '--name', 'ci'], {})
    expect(created.code).toBe(0)
    const key = created.stdout.trim().split('\n').at(-1)!
    expect(key).toMatch(/^rh_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{32,}$/)
    const stored = await db.apiKey.findFirstOrThrow({ where: { user: { email } } })
    expect(stored.hash).not.toContain(key)
    // The secret is everything after `rh_<prefix>_` (base64url: it may itself contain or end with `_`).
    expect(JSON.stringify(stored)).not.toContain(key.slice(`rh_${stored.prefix}_`.length))
    expect((await actorFromApiKey(key))?.email).toBe(email)
    expect(await actorFromApiKey(`${key.slice(0, -1)}x`)).toBeNull()
  })

  it('rejects a short password with the reason', () => {
    const r = launch(['cli', 'user', 'create', '--email', 'short@example.test', '--password', 'abc'], {})
    expect(r.code).toBe(1)
    expect(r.stderrLines.at(-1)).toContain('password at least 8 characters')
  })
})
