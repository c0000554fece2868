import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentDir } from '@/lib/content/paths'
import { toWebResponse } from '@/lib/streaming/pipe'
import { headerGetter, serveFile } from '@/lib/streaming/serve-file'
import { type ContentStore, makeContentStore, openDescriptors, PUBLIC_HASH, patterned, waitFor } from './helpers'

let store: ContentStore
let bytes: Buffer
let filePath: string

beforeAll(async () => {
  store = await makeContentStore()
  bytes = await store.put(PUBLIC_HASH, 'streams/0/seg-00001.m4s', patterned(3 * 1024 * 1024))
  filePath = path.join(contentDir(PUBLIC_HASH, store.dataDir), 'streams/0/seg-00001.m4s')
})

afterAll(async () => {
  await store?.remove()
})

const serve = (method: string, headers: Record<string, string>) =>
  serveFile({
    method,
    header: headerGetter(new Headers(headers)),
    filePath,
    hash: PUBLIC_HASH,
    relPath: 'streams/0/seg-00001.m4s',
    access: 'private',
  })

describe('toWebResponse (Next route handler fallback)', () => {
  it('carries status, headers and the exact range bytes', async () => {
    const res = toWebResponse(await serve('GET', { Range: 'bytes=1000-1999999' }))
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes 1000-1999999/${bytes.length}`)
    expect(res.headers.get('cache-control')).toBe('private, max-age=300')
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(1000, 2000000))).toBe(true)
  })

  it('has no body for HEAD and 304', async () => {
    const h = toWebResponse(await serve('HEAD', {}))
    expect(h.body).toBeNull()
    expect(h.headers.get('content-length')).toBe(String(bytes.length))
    const etag = h.headers.get('etag') as string
    const n = toWebResponse(await serve('GET', { 'If-None-Match': etag }))
    expect(n.status).toBe(304)
    expect(n.body).toBeNull()
  })

  it('closes the file when the consumer cancels', async () => {
    const res = toWebResponse(await serve('GET', {}))
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    expect(openDescriptors(store.dataDir).inside).toBe(1)
    await reader.cancel()
    expect(await waitFor(() => openDescriptors(store.dataDir).inside === 0, 2000)).toBe(true)
  })
})

describe('serveFile input', () => {
  it('answers a missing file with NOT_FOUND', async () => {
    await expect(
      serveFile({
        method: 'GET',
        header: () => undefined,
        filePath: `${filePath}.missing`,
        hash: PUBLIC_HASH,
        relPath: 'streams/0/seg-00002.m4s',
        access: 'public',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('reads Node header records, joining repeated values', () => {
    const get = headerGetter({ range: 'bytes=0-1', 'if-none-match': ['"a"', '"b"'] })
    expect(get('range')).toBe('bytes=0-1')
    expect(get('if-none-match')).toBe('"a", "b"')
    expect(get('if-range')).toBeUndefined()
  })
})
