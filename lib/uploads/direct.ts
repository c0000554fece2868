import { hkdfSync, randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { errors, jwtVerify, SignJWT } from 'jose'
import { z } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { env } from '@/lib/config/env'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { videoMetadataInput } from '@/lib/videos/schemas'

// Direct uploads (as Mux and Cloudflare Stream offer them): a client with an API key asks for an
// upload URL and hands it to someone without credentials (a browser, a phone), who uploads to it
// with tus until it expires. The URL carries a signed token as a path segment:
//   {origin}/api/v1/uploads/direct/{token}            tus creation (POST)
//   {origin}/api/v1/uploads/direct/{token}/{uploadId} tus PATCH / HEAD
// The token is a JWT (HS256, key derived from NEXTAUTH_SECRET) naming the owner and the video's
// metadata; one URL creates one upload.

export const DIRECT_UPLOAD_PREFIX = '/api/v1/uploads/direct/'
export const DEFAULT_DIRECT_UPLOAD_TTL_SECONDS = 3600
/** Unfinished tus uploads are swept after a day, so a direct upload URL lives no longer. */
export const MAX_DIRECT_UPLOAD_TTL_SECONDS = 24 * 3600

const AUDIENCE = 'reelhouse:direct-upload'
const TOKEN_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

export const createDirectUploadInput = z
  .object({
    title: videoMetadataInput.shape.title.optional().meta({ description: 'Defaults to the uploaded file name.' }),
    description: videoMetadataInput.shape.description.unwrap().optional(),
    visibility: z.enum(['PUBLIC', 'UNLISTED', 'PRIVATE']).default('PUBLIC'),
    ttlSeconds: z.int().min(60).max(MAX_DIRECT_UPLOAD_TTL_SECONDS).default(DEFAULT_DIRECT_UPLOAD_TTL_SECONDS),
    maxSizeBytes: z.int().min(1).optional().meta({ description: 'Refuse uploads larger than this (the server limit applies anyway).' }),
  })
  .strict()
  .meta({ id: 'CreateDirectUploadInput' })
export type CreateDirectUploadInput = z.infer<typeof createDirectUploadInput>

export const directUploadView = z
  .object({
    id: z.string(),
    uploadUrl: z.url().meta({
      description:
        'A tus 1.0 endpoint: POST here with `Tus-Resumable: 1.0.0` to create the upload, then PATCH the returned Location. No other credentials are needed.',
    }),
    expiresAt: z.iso.datetime(),
    protocol: z.literal('tus'),
  })
  .meta({ id: 'DirectUpload' })

export interface DirectUploadClaims {
  /** Direct upload id; also names the tus upload it creates. */
  id: string
  ownerId: string
  title?: string
  description?: string
  visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE'
  maxSizeBytes?: number
  expiresAt: Date
}

let key: Uint8Array | undefined
function directUploadKey(): Uint8Array {
  const secret = env().NEXTAUTH_SECRET ?? ''
  if (secret.length < 16) throw new AppError('UNAVAILABLE', 'Direct uploads need NEXTAUTH_SECRET.')
  key ??= new Uint8Array(hkdfSync('sha256', secret, 'reelhouse', 'direct-upload-v1', 32))
  return key
}

/** Mints a direct upload URL for the actor (the video will be theirs). */
export async function createDirectUpload(actor: Actor, input: CreateDirectUploadInput, origin: string) {
  const id = `du${randomBytes(12).toString('hex')}`
  const exp = Math.floor(Date.now() / 1000) + input.ttlSeconds
  const token = await new SignJWT({
    m: { t: input.title, d: input.description, v: input.visibility, s: input.maxSizeBytes },
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(AUDIENCE)
    .setSubject(actor.userId)
    .setJti(id)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(directUploadKey())
  return {
    id,
    uploadUrl: new URL(`${DIRECT_UPLOAD_PREFIX}${token}`, origin).toString(),
    expiresAt: new Date(exp * 1000).toISOString(),
    protocol: 'tus' as const,
  }
}

/** The claims of a direct upload token; UNAUTHENTICATED when forged, malformed or expired, or the owner is gone or disabled. */
export async function verifyDirectUploadToken(token: string): Promise<DirectUploadClaims> {
  if (!TOKEN_RE.test(token)) throw new AppError('UNAUTHENTICATED', 'The upload URL is malformed.')
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload']
  try {
    ;({ payload } = await jwtVerify(token, directUploadKey(), { algorithms: ['HS256'], audience: AUDIENCE, requiredClaims: ['exp', 'sub', 'jti'] }))
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError('UNAUTHENTICATED', 'The upload URL has expired.')
    throw new AppError('UNAUTHENTICATED', 'The upload URL is invalid.')
  }
  const m = (payload.m ?? {}) as { t?: string; d?: string; v?: DirectUploadClaims['visibility']; s?: number }
  const owner = await db.user.findUnique({ where: { id: payload.sub as string }, select: { disabled: true } })
  if (!owner || owner.disabled) throw new AppError('UNAUTHENTICATED', 'The upload URL is no longer valid.')
  return {
    id: payload.jti as string,
    ownerId: payload.sub as string,
    title: m.t,
    description: m.d,
    visibility: m.v ?? 'PUBLIC',
    maxSizeBytes: m.s,
    expiresAt: new Date((payload.exp as number) * 1000),
  }
}

/** `{ token, uploadId? }` for a direct-upload URL path, null for any other path. */
export function parseDirectUploadPath(url: string): { token: string; uploadId?: string } | null {
  const p = url.split('?')[0]
  if (!p.startsWith(DIRECT_UPLOAD_PREFIX)) return null
  const [token, uploadId, ...rest] = p.slice(DIRECT_UPLOAD_PREFIX.length).split('/')
  if (!token || rest.length > 0) return null
  return uploadId ? { token, uploadId } : { token }
}

/**
 * Marks a direct upload as used, atomically (exclusive create of an empty marker file in `dir`,
 * on the same disk as the uploads so every web node sees it): false when it was used already, so
 * one URL creates one upload.
 */
export async function claimDirectUpload(dir: string, id: string): Promise<boolean> {
  await mkdir(dir, { recursive: true })
  try {
    await writeFile(path.join(dir, id), '', { flag: 'wx' })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}
