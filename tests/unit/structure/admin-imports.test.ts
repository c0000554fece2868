import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { OPERATIONS } from '@/lib/openapi/registry'

// lib/admin holds the admin read models; only admin routes, pages and components may use them.

async function* sources(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) yield* sources(full)
    else if (/\.tsx?$/.test(e.name)) yield full
  }
}

const ADMIN_PLACE = /(^|\/)admin(\/|$)/
/** A route file whose every operation (as declared in the registry) is for admins only. */
const adminOnlyRoute = (file: string) => {
  if (path.basename(file) !== 'route.ts') return false
  const apiPath = `/${path.dirname(file).split(path.sep).slice(1).join('/')}`.replace(/\[(\w+)\]/g, '{$1}')
  const served = OPERATIONS.filter(({ op }) => op.path === apiPath && op.handle)
  return served.length > 0 && served.every(({ op }) => op.access.admin)
}

describe('lib/admin', () => {
  it('is imported by admin routes, pages and components only', async () => {
    const offenders: string[] = []
    for (const root of ['app', 'components', 'lib']) {
      for await (const file of sources(root)) {
        if (file.startsWith(path.join('lib', 'admin')) || file.startsWith(path.join('lib', 'openapi'))) continue
        const text = await readFile(file, 'utf8')
        if (!text.includes("from '@/lib/admin/")) continue
        if (ADMIN_PLACE.test(path.dirname(file)) || adminOnlyRoute(file)) continue
        offenders.push(file)
      }
    }
    expect(offenders).toEqual([])
  })
})
