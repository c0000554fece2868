import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// lib/admin holds the admin read models; only admin routes, pages and components may use them.

async function* sources(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) yield* sources(full)
    else if (/\.tsx?$/.test(e.name)) yield full
  }
}

const ADMIN_PLACE = /(^|\/)admin(\/|$)/
/** A route file all of whose handlers require the admin scope. */
const adminOnlyRoute = (text: string) => {
  const handlers = text.match(/\broute\(/g)?.length ?? 0
  const adminHandlers = text.match(/\broute\(\{\s*scope:\s*'admin'/g)?.length ?? 0
  return handlers > 0 && handlers === adminHandlers
}

describe('lib/admin', () => {
  it('is imported by admin routes, pages and components only', async () => {
    const offenders: string[] = []
    for (const root of ['app', 'components', 'lib']) {
      for await (const file of sources(root)) {
        if (file.startsWith(path.join('lib', 'admin')) || file.startsWith(path.join('lib', 'openapi'))) continue
        const text = await readFile(file, 'utf8')
        if (!text.includes("from '@/lib/admin/")) continue
        if (ADMIN_PLACE.test(path.dirname(file)) || adminOnlyRoute(text)) continue
        offenders.push(file)
      }
    }
    expect(offenders).toEqual([])
  })
})
