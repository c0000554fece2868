import { mkdir, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
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

export const TUS_PATH = '/api/v1/uploads'
/** Unfinished uploads older than this are swept (the client would have to start again). */
export const UPLOAD_EXPIRY_MS = 24 * 3600_000

const tusLog = log.child({ c: 'tus' })

// tus hooks reject by throwing { status_code, body }; we keep bodies problem+json shaped.
function reject(status: number, code: string, detail: string): never {
  throw { status_code: status, body: JSON.stringify({ type: 'about:blank', title: code, status, code, detail }) }
}

const actorOf = (req: Request) =>
  actorFromHeaders({ authorization: req.headers.get('authorization'), cookie: req.headers.get('cookie') })

/** The resumable-upload endpoint (tus 1.0 via @tus/server), files under DATA_DIR/uploads. */
export async function createTusServer(): Promise<Server> {
  const directory = path.join(env().dataDir, 'uploads')
  await mkdir(directory, { recursive: true })
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS })
  const server: Server = new Server({
    path: TUS_PATH,
    datastore,
    maxSize: await maxUploadBytes(),
    relativeLocation: true,
    respectForwardedHeaders: false,
    async onIncomingRequest(req, uploadId) {
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
      mime: meta.filetype ?? undefined,
      metadata: videoMetadataInput.parse(meta),
    })
    await rm(`${file}.json`, { force: true })
    tusLog.info({ upload: upload.id, video: result.videoId, dedup: result.deduplicated }, 'upload ingested')
    return result
  } catch (err) {
    tusLog.error({ err, upload: upload.id }, 'ingest failed')
    const p = toProblem(err)
    reject(p.status, p.code, p.detail ?? 'ingest failed')
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
