import { mkdir, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { FileStore } from '@tus/file-store'
import { Server, type Upload } from '@tus/server'
import { actorFromHeaders } from '@/lib/auth/current'
import { hashFile } from '@/lib/content/store'
import { env } from '@/lib/config/env'
import { toProblem } from '@/lib/errors'
import { log } from '@/lib/log'
import { ingestUpload } from '@/lib/videos/ingest'
import { videoMetadataInput } from '@/lib/videos/schemas'
import { maxUploadBytes } from './config'
import { claimDirectUpload, DIRECT_UPLOAD_PREFIX, type DirectUploadClaims, parseDirectUploadPath, verifyDirectUploadToken } from './direct'

export const TUS_PATH = '/api/v1/uploads'
/** Unfinished uploads older than this are swept (the client would have to start again). */
export const UPLOAD_EXPIRY_MS = 24 * 3600_000

const tusLog = log.child({ c: 'tus' })

// tus hooks reject by throwing { status_code, body }; we keep bodies problem+json shaped.
function reject(status: number, code: string, detail: string): never {
  throw { status_code: status, body: JSON.stringify({ type: 'about:blank', title: code, status, code, detail }) }
}

const actorOf = (req: Request) => actorFromHeaders({ authorization: req.headers.get('authorization'), cookie: req.headers.get('cookie') })

/** The direct-upload claims when the request goes to a direct upload URL (see ./direct), else null; rejects bad tokens. */
async function directOf(req: Request): Promise<(DirectUploadClaims & { token: string; uploadId?: string }) | null> {
  const parsed = parseDirectUploadPath(new URL(req.url).pathname)
  if (!parsed) return null
  try {
    return { ...(await verifyDirectUploadToken(parsed.token)), ...parsed }
  } catch (err) {
    const p = toProblem(err)
    reject(p.status, p.code, p.detail ?? 'invalid upload URL')
  }
}

/** The resumable-upload endpoint (tus 1.0 via @tus/server), files under DATA_DIR/uploads. */
export async function createTusServer(): Promise<Server> {
  const directory = path.join(env().dataDir, 'uploads')
  await mkdir(directory, { recursive: true })
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS })
  const serverMax = await maxUploadBytes()
  const server: Server = new Server({
    path: TUS_PATH,
    datastore,
    // A direct upload URL may allow fewer bytes than the server; tus applies this to a declared
    // Upload-Length, to one declared later (Upload-Defer-Length) and to every PATCH body alike.
    maxSize: async (req) => {
      const direct = await directOf(req)
      return Math.min(serverMax, direct?.maxSizeBytes ?? serverMax)
    },
    relativeLocation: true,
    respectForwardedHeaders: false,
    // Direct uploads keep their token in every URL of the upload, so PATCH and HEAD carry it too.
    generateUrl(req, { path: base, id }) {
      const direct = parseDirectUploadPath(new URL(req.url).pathname)
      return direct ? `${DIRECT_UPLOAD_PREFIX}${direct.token}/${id}` : `${base}/${id}`
    },
    async namingFunction(req) {
      const direct = await directOf(req)
      return direct ? direct.id : randomBytes(16).toString('hex')
    },
    async onIncomingRequest(req, uploadId) {
      const direct = await directOf(req)
      if (direct) {
        if (req.method === 'POST' ? direct.uploadId !== undefined : direct.uploadId !== direct.id) reject(404, 'NOT_FOUND', 'No such upload.')
        return
      }
      const actor = await actorOf(req)
      if (!actor) reject(401, 'UNAUTHENTICATED', 'Sign in or send an API key to upload.')
      if (actor.via === 'apiKey' && !actor.scopes.includes('write')) reject(403, 'FORBIDDEN', 'This API key lacks the "write" scope.')
      if (req.method !== 'POST' && uploadId) {
        const upload = await datastore.getUpload(uploadId).catch(() => null)
        // Another user's upload is reported as missing rather than forbidden.
        if (upload && upload.metadata?.ownerId !== actor.userId) reject(404, 'NOT_FOUND', 'No such upload.')
      }
    },
    async onUploadCreate(req, upload) {
      const direct = await directOf(req)
      if (direct) return { metadata: await directUploadMetadata(direct, upload) }
      const actor = (await actorOf(req))!
      const meta = videoMetadataInput.safeParse({
        title: upload.metadata?.title ?? upload.metadata?.filename ?? upload.metadata?.name,
        description: upload.metadata?.description ?? undefined,
        visibility: upload.metadata?.visibility ?? undefined,
      })
      if (!meta.success) reject(422, 'INVALID_INPUT', meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
      return { metadata: { ...upload.metadata, ...meta.data, ownerId: actor.userId } }
    },
    async onUploadFinish(_req, upload) {
      const result = await finishUpload(directory, upload)
      return { headers: { 'Reelhouse-Video-Id': result.videoId, 'Access-Control-Expose-Headers': 'Reelhouse-Video-Id' } }
    },
  })
  return server
}

/** Metadata of a direct upload: the token's title and visibility win over what the uploader sends. */
async function directUploadMetadata(direct: DirectUploadClaims, upload: Upload): Promise<Record<string, string>> {
  if (!(await claimDirectUpload(path.join(env().dataDir, 'direct-uploads'), direct.id))) {
    reject(409, 'CONFLICT', 'This upload URL was used already; ask for a new one.')
  }
  const meta = videoMetadataInput.safeParse({
    title: direct.title ?? upload.metadata?.title ?? upload.metadata?.filename ?? upload.metadata?.name,
    description: direct.description ?? upload.metadata?.description ?? undefined,
    visibility: direct.visibility,
  })
  if (!meta.success) reject(422, 'INVALID_INPUT', meta.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  const { filename } = upload.metadata ?? {}
  return {
    ...(filename ? { filename } : {}),
    ...meta.data,
    ownerId: direct.ownerId,
    directUploadId: direct.id,
  }
}

/** Ingests a complete upload; afterwards, whatever the outcome, nothing of it is left under uploads/. */
async function finishUpload(directory: string, upload: Upload) {
  const file = path.join(directory, upload.id)
  const meta = upload.metadata ?? {}
  try {
    const hash = await hashFile(file)
    const result = await ingestUpload({
      ownerId: meta.ownerId!,
      tempPath: file,
      hash,
      size: upload.size ?? upload.offset,
      metadata: { title: meta.title, description: meta.description, visibility: meta.visibility },
    })
    tusLog.info({ upload: upload.id, video: result.videoId, dedup: result.deduplicated }, 'upload ingested')
    return result
  } catch (err) {
    const p = toProblem(err)
    if (p.status >= 500) tusLog.error({ err, upload: upload.id }, 'ingest failed')
    await rm(file, { force: true })
    reject(p.status, p.code, p.detail ?? 'ingest failed')
  } finally {
    await rm(`${file}.json`, { force: true })
  }
}

/** Answers tus requests (any request under /api/v1/uploads carrying Tus-Resumable, or OPTIONS there). */
export function tusRequestHandler(server: Promise<Server>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = req.url ?? ''
    if (!(url === TUS_PATH || url.startsWith(`${TUS_PATH}/`) || url.startsWith(`${TUS_PATH}?`))) return false
    if (!req.headers['tus-resumable'] && req.method !== 'OPTIONS') return false
    await (await server).handle(req, res)
    return true
  }
}
