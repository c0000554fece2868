import { readFile } from 'node:fs/promises'
import path from 'node:path'

export const dynamic = 'force-dynamic'

// The API reference renderer (Scalar's standalone browser build) served from our own origin: a
// self-hosted install must not depend on a CDN, and the file is too large to bundle into a page.
const FILE = path.join(/*turbopackIgnore: true*/ process.cwd(), 'node_modules/@scalar/api-reference/dist/browser/standalone.js')

let cached: Promise<{ body: Buffer; etag: string }> | undefined
const load = async () => {
  const pkg = JSON.parse(await readFile(path.join(/*turbopackIgnore: true*/ process.cwd(), 'node_modules/@scalar/api-reference/package.json'), 'utf8')) as {
    version: string
  }
  return { body: await readFile(FILE), etag: `"scalar-${pkg.version}"` }
}

export async function GET(req: Request) {
  cached ??= load().catch((err) => {
    cached = undefined
    throw err
  })
  const { body, etag } = await cached
  const headers = { etag, 'cache-control': 'public, max-age=86400', 'content-type': 'text/javascript; charset=utf-8' }
  if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers })
  return new Response(new Uint8Array(body), { headers })
}
