import { createHash, randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys'
import { createUser } from '@/lib/auth/users'
import { localContentStore } from '@/lib/content/store'
import { db } from '@/lib/db'
import { base } from '../api/client'

// Principals and per-operation resources for the check-params suite. Resources are made directly
// in the database (and content files on disk), so every operation gets fresh ones in milliseconds.

export interface Principal {
  name: 'anonymous' | 'revoked' | 'wrongScope' | 'other' | 'owner' | 'admin'
  headers: Record<string, string>
}

export interface Principals {
  ownerId: string
  otherId: string
  adminId: string
  owner: Record<string, string>
  other: Record<string, string>
  admin: Record<string, string>
  /** Owner keys holding every scope but one. */
  ownerReadOnly: Record<string, string>
  ownerWriteOnly: Record<string, string>
  /** An admin's key without the admin scope. */
  adminNoAdminScope: Record<string, string>
  revoked: Record<string, string>
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` })
const email = (who: string) => `${who}-${randomBytes(4).toString('hex')}@check-params.test`

export async function makePrincipals(): Promise<Principals> {
  const owner = await createUser({ email: email('owner'), password: 'password-123' })
  const other = await createUser({ email: email('other'), password: 'password-123' })
  const admin = await createUser({ email: email('admin'), password: 'password-123', role: 'ADMIN' })
  const key = async (userId: string, scopes: ('read' | 'write' | 'admin')[]) => (await createApiKey(userId, { name: 'check-params', scopes })).key
  const revoked = await createApiKey(owner.id, { name: 'revoked', scopes: ['read', 'write'] })
  await revokeApiKey({ userId: owner.id, email: owner.email, role: 'USER', via: 'session', scopes: ['read', 'write'] }, revoked.id)
  return {
    ownerId: owner.id,
    otherId: other.id,
    adminId: admin.id,
    owner: bearer(await key(owner.id, ['read', 'write'])),
    other: bearer(await key(other.id, ['read', 'write'])),
    admin: bearer(await key(admin.id, ['read', 'write', 'admin'])),
    ownerReadOnly: bearer(await key(owner.id, ['read'])),
    ownerWriteOnly: bearer(await key(owner.id, ['write'])),
    adminNoAdminScope: bearer(await key(admin.id, ['read', 'write'])),
    revoked: bearer(revoked.key),
  }
}

export interface Fixture {
  video: string
  content: string
  session: string
  webhook: string
  delivery: string
  apiKey: string
  user: string
  playlist: string
  room: string
  upload: string
  invite: string
  caption: string
  /** Every id above: none may appear in what another user gets back. */
  secrets: string[]
}

/** Fresh resources of `ownerId`: a private video with stored content (processing, for a running session), its session, a webhook, a key, a playlist, a room, a tus upload. */
export async function makeFixture(p: Principals, opts: { sessionState?: 'FAILED' | 'RUNNING'; withUpload?: boolean } = {}): Promise<Fixture> {
  const ownerId = p.ownerId
  const hash = createHash('sha256').update(randomBytes(16)).digest('hex')
  // A running session's content is being processed (the lifecycle allows no other pairing).
  const running = opts.sessionState === 'RUNNING'
  await db.content.create({
    data: {
      hash,
      size: 16n,
      mime: 'video/mp4',
      state: running ? 'PROCESSING' : 'STORED',
      storedAt: running ? null : new Date(),
      durationMs: 1000,
      width: 320,
      height: 180,
    },
  })
  const store = localContentStore()
  await mkdir(path.dirname(store.filePath(hash, 'original')), { recursive: true })
  await writeFile(store.filePath(hash, 'original'), randomBytes(16))
  await writeFile(store.filePath(hash, 'master.m3u8'), '#EXTM3U\n#EXT-X-VERSION:7\n')
  await writeFile(store.filePath(hash, 'manifest.mpd'), '<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011"/>')
  // Chapters, so the chapters track exists for whoever may watch the video.
  const video = await db.video.create({
    data: { ownerId, title: `Private ${hash.slice(0, 6)}`, visibility: 'PRIVATE', contentHash: hash, chapters: [{ startMs: 0, title: 'Intro' }] },
  })
  // A running session keeps a lease no live worker holds, far in the future, so no worker claims it.
  const session = await db.transcodeSession.create({
    data: {
      contentHash: hash,
      state: running ? 'RUNNING' : 'FAILED',
      attempt: 1,
      error: running ? null : 'check-params fixture',
      startedAt: new Date(),
      ...(running ? { leaseOwner: 'check-params-phantom', leaseExpiresAt: new Date(Date.now() + 3600_000) } : { finishedAt: new Date() }),
    },
  })
  // Loopback, on a port fetch refuses to use: a delivery attempt fails at once and never leaves the machine.
  // Earlier fixtures' endpoints go, so the owner stays under the per-user webhook limit.
  await db.webhook.deleteMany({ where: { ownerId, url: 'http://127.0.0.1:1/hook' } })
  const webhook = await db.webhook.create({
    data: { ownerId, url: 'http://127.0.0.1:1/hook', secret: `whsec_${randomBytes(16).toString('hex')}`, events: ['video.ready'] },
  })
  const delivery = await db.webhookDelivery.create({
    data: {
      webhookId: webhook.id,
      event: 'video.ready',
      payload: { id: 'evt_fixture', type: 'video.ready', data: {} },
      status: 'FAILED',
      attempt: 1,
      error: 'fixture',
    },
  })
  const caption = await db.caption.create({
    data: { videoId: video.id, language: 'en', label: 'English', vtt: 'WEBVTT\n\n00:00.000 --> 00:01.000\nFixture\n\n' },
  })
  const apiKey = await createApiKey(ownerId, { name: 'fixture', scopes: ['read'] })
  const playlist = await db.playlist.create({ data: { ownerId, name: 'Fixture playlist', items: { create: [{ videoId: video.id, position: 0 }] } } })
  const room = await db.room.create({ data: { ownerId, name: 'Fixture room', videoIds: [video.id] } })
  const upload = opts.withUpload ? await createTusUpload(p.owner) : 'no-upload'
  const invite = await db.invite.create({
    data: { tokenHash: createHash('sha256').update(randomBytes(16)).digest('hex'), createdById: p.adminId, expiresAt: new Date(Date.now() + 3600_000) },
  })
  const ids = {
    video: video.id,
    content: hash,
    session: session.id,
    webhook: webhook.id,
    delivery: delivery.id,
    apiKey: apiKey.id,
    user: ownerId,
    playlist: playlist.id,
    room: room.id,
    upload,
    invite: invite.id,
    caption: caption.id,
  }
  return { ...ids, secrets: [video.id, hash, session.id, webhook.id, delivery.id, apiKey.id, playlist.id, room.id, apiKey.prefix, invite.id, caption.id] }
}

/** A 10-byte tus upload of the owner with nothing sent yet; returns its id. */
async function createTusUpload(auth: Record<string, string>): Promise<string> {
  const res = await fetch(`${base()}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      ...auth,
      'tus-resumable': '1.0.0',
      'upload-length': '10',
      'upload-metadata': `title ${Buffer.from('check-params').toString('base64')}`,
    },
  })
  if (res.status !== 201) throw new Error(`tus creation failed: ${res.status} ${await res.text()}`)
  return res.headers.get('location')!.split('/').pop()!
}
