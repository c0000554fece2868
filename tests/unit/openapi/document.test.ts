import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { openApiDocument } from '@/lib/openapi/document'
import { OPERATIONS } from '@/lib/openapi/registry'

type Doc = ReturnType<typeof openApiDocument>
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'] as const

// Paths answered before Next (server.ts): media bytes, tus, metrics. They have no route file.
const SERVED_BY_SERVER = [/^\/api\/v1\/content\/\{hash\}\/(?!info$)/, /^\/api\/v1\/uploads\/(\{uploadId\}|direct\/)/, /^\/metrics$/]

// The public contract: an operation leaves this list only on purpose (with a new API version).
const PUBLISHED = [
  'DELETE /api/v1/admin/invites/{id}',
  'DELETE /api/v1/admin/sessions/{id}',
  'DELETE /api/v1/api-keys/{id}',
  'DELETE /api/v1/me/history',
  'DELETE /api/v1/me/history/{videoId}',
  'DELETE /api/v1/playlists/{id}',
  'DELETE /api/v1/rooms/{id}',
  'DELETE /api/v1/rooms/{id}/invite',
  'DELETE /api/v1/videos/{id}',
  'DELETE /api/v1/videos/{id}/captions/{captionId}',
  'DELETE /api/v1/webhooks/{id}',
  'GET /api/v1/admin/invites',
  'GET /api/v1/admin/overview',
  'GET /api/v1/admin/players',
  'GET /api/v1/admin/profiles',
  'GET /api/v1/admin/sessions/{id}',
  'GET /api/v1/admin/videos',
  'GET /api/v1/admin/workers',
  'GET /api/v1/api-keys',
  'GET /api/v1/content/{hash}',
  'GET /api/v1/content/{hash}/info',
  'GET /api/v1/content/{hash}/manifest.mpd',
  'GET /api/v1/content/{hash}/master.m3u8',
  'GET /api/v1/content/{hash}/original',
  'GET /api/v1/content/{hash}/t/{token}/master.m3u8',
  'GET /api/v1/health',
  'GET /api/v1/me/history',
  'GET /api/v1/oembed',
  'GET /api/v1/openapi.json',
  'GET /api/v1/playlists',
  'GET /api/v1/playlists/{id}',
  'GET /api/v1/rooms',
  'GET /api/v1/rooms/{id}',
  'GET /api/v1/sessions',
  'GET /api/v1/sessions/{id}/health',
  'GET /api/v1/sessions/{id}/logs',
  'GET /api/v1/sessions/{id}/status',
  'GET /api/v1/users',
  'GET /api/v1/users/me',
  'GET /api/v1/users/{id}',
  'GET /api/v1/videos',
  'GET /api/v1/videos/{id}',
  'GET /api/v1/videos/{id}/captions',
  'GET /api/v1/videos/{id}/captions/{captionId}/playlist.m3u8',
  'GET /api/v1/videos/{id}/captions/{captionId}/track.vtt',
  'GET /api/v1/videos/{id}/chapters.vtt',
  'GET /api/v1/videos/{id}/manifest.mpd',
  'GET /api/v1/videos/{id}/master.m3u8',
  'GET /api/v1/webhooks',
  'GET /api/v1/webhooks/{id}',
  'GET /api/v1/webhooks/{id}/deliveries',
  'GET /metrics',
  'HEAD /api/v1/uploads/{uploadId}',
  'PATCH /api/v1/playlists/{id}',
  'PATCH /api/v1/uploads/{uploadId}',
  'PATCH /api/v1/users/{id}',
  'PATCH /api/v1/videos/{id}',
  'PATCH /api/v1/webhooks/{id}',
  'POST /api/v1/admin/invites',
  'POST /api/v1/admin/sessions/{id}/reencode',
  'POST /api/v1/api-keys',
  'POST /api/v1/playlists',
  'POST /api/v1/rooms',
  'POST /api/v1/rooms/{id}/commands',
  'POST /api/v1/rooms/{id}/invite',
  'POST /api/v1/rooms/{id}/join',
  'POST /api/v1/sessions/{id}/cancel',
  'POST /api/v1/sessions/{id}/retry',
  'POST /api/v1/uploads',
  'POST /api/v1/uploads/direct/{token}',
  'POST /api/v1/users',
  'POST /api/v1/users/password-reset',
  'POST /api/v1/users/signup',
  'POST /api/v1/users/{id}/password-reset',
  'POST /api/v1/videos',
  'POST /api/v1/videos/{id}/captions',
  'POST /api/v1/videos/{id}/playback-token',
  'POST /api/v1/videos/{id}/views',
  'POST /api/v1/webhooks',
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
  'PUT /api/v1/videos/{id}/chapters',
  'PUT /api/v1/videos/{id}/poster',
  'PUT /api/v1/videos/{id}/progress',
]

/** `METHOD /path` for every exported handler under app/api/v1, with [param] turned into {param}. */
function routeFileOperations(): Set<string> {
  const out = new Set<string>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name)
      if (e.isDirectory()) walk(full)
      else if (e.name === 'route.ts') {
        const rel = path.relative('app', path.dirname(full)).split(path.sep).join('/')
        const p = `/${rel}`.replace(/\[(\w+)\]/g, '{$1}')
        const src = readFileSync(full, 'utf8')
        const exported = src.match(/export const \{ ([A-Z, ]+) \} = handlersFor\(/)?.[1].split(', ') ?? []
        expect(src, `${full} exports its handlers only through handlersFor`).not.toMatch(/export (async )?function (GET|POST|PUT|PATCH|DELETE|HEAD)\b/)
        for (const m of exported) out.add(`${m.toLowerCase()} ${p}`)
      }
    }
  }
  walk('app/api/v1')
  return out
}

function documentedOperations(doc: Doc): Set<string> {
  const out = new Set<string>()
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    for (const m of METHODS) if ((item as Record<string, unknown>)[m]) out.add(`${m} ${p}`)
  }
  return out
}

describe('OpenAPI document', () => {
  const doc = openApiDocument()

  it('is valid OpenAPI 3.1 for a maintained validator', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(doc.openapi).toBe('3.1.0')
  })

  it('lists every published operation', () => {
    const listed = [...documentedOperations(doc)].map((op) => `${op.split(' ')[0].toUpperCase()} ${op.split(' ')[1]}`)
    expect(listed.sort()).toEqual(PUBLISHED)
  })

  it('has a handler for exactly the operations Next answers', () => {
    for (const { operationId, op } of OPERATIONS) {
      const outside = SERVED_BY_SERVER.some((re) => re.test(op.path))
      expect(!!op.handle, `${operationId} ${outside ? 'is answered before Next' : 'needs a handler'}`).toBe(!outside)
    }
  })

  it('documents every route handler under /api/v1', () => {
    const documented = documentedOperations(doc)
    const missing = [...routeFileOperations()].filter((op) => !documented.has(op))
    expect(missing).toEqual([])
  })

  it('documents nothing that has no handler (except what server.ts answers)', () => {
    const files = routeFileOperations()
    const phantom = [...documentedOperations(doc)].filter((op) => !files.has(op) && !SERVED_BY_SERVER.some((re) => re.test(op.split(' ')[1])))
    expect(phantom).toEqual([])
  })

  it('gives every operation an id, a tag, access metadata and problem+json errors', () => {
    const ids = new Set<string>()
    for (const [p, item] of Object.entries(doc.paths ?? {})) {
      for (const m of METHODS) {
        const op = (item as Record<string, Record<string, unknown>>)[m]
        if (!op) continue
        const where = `${m} ${p}`
        expect(op.operationId, where).toBeTruthy()
        expect(ids.has(op.operationId as string), `${where} duplicate id`).toBe(false)
        ids.add(op.operationId as string)
        expect((op.tags as string[]).length, where).toBe(1)
        expect(op['x-reelhouse-access'], where).toBeTruthy()
        for (const [status, res] of Object.entries(op.responses as Record<string, { content?: Record<string, unknown> }>)) {
          if (Number(status) >= 400) expect(Object.keys(res.content ?? {}), `${where} ${status}`).toEqual(['application/problem+json'])
        }
      }
    }
  })

  it('describes the three webhook events and how they are signed', () => {
    expect(Object.keys(doc.webhooks ?? {}).sort()).toEqual(['session.failed', 'video.failed', 'video.ready'])
    expect(doc.info.description).toContain('Reelhouse-Signature: t=<unix seconds>,v1=<hex>')
  })
})
