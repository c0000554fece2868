#!/usr/bin/env node
// Entry point of `npm start`, `npm test`, `npm run web|worker|cli|dev`. Plain JavaScript with no
// dependencies, because its first job is to install them: it (re)runs `npm install` when
// node_modules is missing or package.json / package-lock.json changed since the last install,
// then hands over to the TypeScript launcher.
import { spawnSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
process.chdir(root)

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 9)) {
  console.error(`reelhouse: Node.js 20.9 or newer is required (this is ${process.version})`)
  process.exit(1)
}

// A program that cannot start is one line naming it and why, like the launcher's own.
const couldNotRun = (name, cmd, err) => {
  console.error(`reelhouse: ${name} could not run: ${err.code ?? err.message} (${cmd})`)
  process.exit(1)
}

const stampFile = path.join(root, 'node_modules', '.reelhouse-install')
const manifestHash = () => {
  const h = createHash('sha256')
  for (const f of ['package.json', 'package-lock.json']) {
    if (existsSync(f)) h.update(readFileSync(f))
  }
  return h.digest('hex')
}
const wanted = manifestHash()
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null
if (current !== wanted) {
  console.log('reelhouse: installing npm dependencies…')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  // Not `npm ci`: the lockfile names optional platform packages some registries lack.
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--include=dev'], { stdio: 'inherit' })
  if (r.error) couldNotRun('npm install', npm, r.error)
  if (r.status !== 0) {
    console.error('reelhouse: npm install failed (see above)')
    process.exit(r.status ?? 1)
  }
  // Hashed again: npm may have rewritten the lockfile while installing.
  writeFileSync(stampFile, manifestHash())
}

const child = spawn(process.execPath, ['--import', 'tsx', 'workers/launcher.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
})
child.once('error', (err) => couldNotRun('the launcher', process.execPath, err))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
