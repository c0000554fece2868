import { existsSync } from 'node:fs'
import { runProgram } from './programs'

const has = (cmd: string) => runProgram('sh', 'sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
const canApt = () => process.getuid?.() === 0 && has('apt-get')

function aptInstall(pkgs: string[]): boolean {
  console.log(`reelhouse: installing ${pkgs.join(', ')} with apt-get…`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  runProgram('apt-get', 'apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  return runProgram('apt-get', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env }).status === 0
}

/** FFmpeg and ffprobe on PATH, installed from Debian when missing and we are root; else a clear error. */
export function ensureFfmpeg(): void {
  if (has('ffmpeg') && has('ffprobe')) return
  if (canApt() && aptInstall(['ffmpeg']) && has('ffmpeg')) return
  throw new Error('ffmpeg and ffprobe are required: install them (Debian/Ubuntu: apt-get install ffmpeg) and try again')
}

export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Debian's Chromium for the browser tests (playwright-core cannot download browsers here). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return
  if (canApt() && aptInstall(['chromium', 'fonts-dejavu-core']) && existsSync(CHROMIUM_PATH)) return
  throw new Error(`Chromium is required at ${CHROMIUM_PATH} for the browser tests (Debian: apt-get install chromium)`)
}

export const NGINX_PATH = '/usr/sbin/nginx'

/** Debian's nginx for the front's tests (deploy/nginx/run.sh). */
export function ensureNginx(): void {
  if (existsSync(NGINX_PATH)) return
  if (canApt() && aptInstall(['nginx-light']) && existsSync(NGINX_PATH)) return
  throw new Error(`nginx is required at ${NGINX_PATH} for the front's tests (Debian: apt-get install nginx-light)`)
}

const SWIFT_PACKAGES = ['swift', 'swift-proxy', 'swift-object', 'swift-container', 'swift-account', 'python3-swift', 'memcached']
const SWIFT_PROGRAMS = ['swift-proxy-server', 'swift-account-server', 'swift-container-server', 'swift-object-server', 'memcached']

/** OpenStack Swift (with s3api) and memcached from Debian: the local S3 server of the tests and `npm run s3:local`. */
export function ensureSwift(): void {
  if (SWIFT_PROGRAMS.every(has)) return
  if (canApt() && aptInstall(SWIFT_PACKAGES) && SWIFT_PROGRAMS.every(has)) return
  throw new Error(`OpenStack Swift is required for the local S3 server (Debian: apt-get install ${SWIFT_PACKAGES.join(' ')})`)
}
