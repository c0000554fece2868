import { execFileSync } from 'node:child_process'
import { cp, lstat, mkdtemp, readlink, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '@/lib/db/embedded'
import { removeOrphanedHomes, SERVER_HOMES } from '@/lib/db/embedded-layout'
import { runningPostmaster } from '@/lib/db/postmaster'
import { ctrlC, npmStart, processesMentioning, waitHealthy } from '../npm-start'

// The most common first run: root clones into its own home (mode 0700) and types `npm start`.
// PostgreSQL refuses root, so the launcher runs it as the `postgres` user, which cannot enter that
// directory. Only root can make that situation, so the test needs root.
const asRoot = process.getuid?.() === 0

const git = (args: string[], cwd = process.cwd()) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

/**
 * A clone of this checkout's HEAD in `parent`, with the installed packages, the generated Prisma
 * client and the production build carried over (what `npm start` would otherwise install and build
 * for minutes). node_modules is hard-linked, so the PostgreSQL binaries sit below `parent` as in a
 * real clone, out of the postgres user's reach.
 */
async function cloneCheckout(parent: string): Promise<string> {
  const checkout = path.join(parent, 'reelhouse')
  git(['clone', '--quiet', '--no-checkout', process.cwd(), checkout])
  git(['checkout', '--quiet', '--detach', git(['rev-parse', 'HEAD'])], checkout)
  try {
    execFileSync('cp', ['-al', 'node_modules', path.join(checkout, 'node_modules')])
  } catch {
    execFileSync('cp', ['-a', 'node_modules', path.join(checkout, 'node_modules')]) // another file system
  }
  await cp('lib/generated', path.join(checkout, 'lib/generated'), { recursive: true, verbatimSymlinks: true })
  // A real copy (not links), without the cache the server may write into.
  await cp('.next', path.join(checkout, '.next'), { recursive: true, verbatimSymlinks: true, filter: (src) => src !== path.resolve('.next/cache') })
  return checkout
}

const postgresUid = () => Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())

describe.skipIf(!asRoot)('npm start in a fresh clone inside a 0700 directory of root [skipped unless root]', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
    await removeOrphanedHomes()
  })

  it('starts to healthy twice on the same data, Ctrl-C leaves no PostgreSQL, and deleting the clone removes its cluster', async () => {
    const privateHome = await mkdtemp(path.join(os.tmpdir(), 'rh-roothome-'))
    dirs.push(privateHome)
    expect((await stat(privateHome)).mode & 0o777).toBe(0o700)
    const checkout = await cloneCheckout(privateHome)
    const port = await freePort()
    let clusterHome = ''

    for (const round of [1, 2]) {
      // No DATA_DIR: the default `.data` inside the clone, as a newcomer gets it.
      const { child, output } = npmStart({ DATA_DIR: undefined, PORT: String(port), ADMIN_EMAIL: 'root@example.test' }, checkout)
      const health = await waitHealthy(port, output, child)
      expect(health.status).toBe('ok')
      expect(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.status)).toBe(200)

      const pgLink = path.join(checkout, '.data', 'pg')
      const home = path.dirname(await readlink(pgLink))
      expect(path.dirname(home)).toBe(SERVER_HOMES)
      if (round === 1) {
        clusterHome = home
        expect(output()).toContain(`its database cluster lives in ${home}`)
        expect(output()).toMatch(/created admin root@example\.test with password \S+/)
      } else {
        expect(home).toBe(clusterHome)
        expect(output()).not.toContain('created admin')
        expect(output()).not.toContain('building the production bundle')
      }
      // The server runs as the postgres user, from the binaries copied next to its cluster.
      const server = (await runningPostmaster(pgLink))!
      expect((await stat(`/proc/${server.pid}`)).uid).toBe(postgresUid())
      expect(await readlink(`/proc/${server.pid}/exe`)).toMatch(new RegExp(`^${home}/postgres-[^/]+/bin/postgres$`))

      expect(await ctrlC(child)).toBe(0)
      expect(output()).toContain('reelhouse: stopped')
      expect(output()).not.toMatch(/TypeError|could not run/)
      expect(processesMentioning(home)).toEqual([])
      expect(processesMentioning(checkout)).toEqual([])
      expect(await runningPostmaster(pgLink)).toBeNull()
    }

    expect(await removeOrphanedHomes()).not.toContain(clusterHome)
    await rm(privateHome, { recursive: true, force: true })
    expect(await removeOrphanedHomes()).toContain(clusterHome)
    expect(await lstat(clusterHome).catch(() => null)).toBeNull()
  })
})
