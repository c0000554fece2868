import { z } from 'zod'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { env } from '@/lib/config/env'
import { FFMPEG_LOG } from '@/lib/content/layout'
import { contentDir, workRoot } from '@/lib/content/paths'
import { contentStore, UnsatisfiableRangeError } from '@/lib/content/store'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { SESSION_POLICY } from '@/lib/queue/policy'
import { isLeased } from './states'

export const logsQuery = z.object({
  bytes: z.coerce
    .number()
    .int()
    .min(1)
    .max(1 << 20)
    .default(64 * 1024),
})

/** The session if the actor is an admin or owns a video made from its content; else 404. */
export async function findVisibleSession(actor: Actor, id: string) {
  const session = await db.transcodeSession.findUnique({ where: { id } })
  if (!session) throw new AppError('NOT_FOUND', 'No such session.')
  // isAdmin, not the role: an admin's API key without the admin scope reads only its own user's sessions.
  if (isAdmin(actor)) return session
  const owns = await db.video.count({ where: { contentHash: session.contentHash, ownerId: actor.userId } })
  if (!owns) throw new AppError('NOT_FOUND', 'No such session.')
  return session
}

type Session = Awaited<ReturnType<typeof findVisibleSession>>

export function sessionStatus(s: Session) {
  return {
    id: s.id,
    state: s.state,
    contentHash: s.contentHash,
    progress: s.progress,
    attempt: s.attempt,
    maxAttempts: s.maxAttempts,
    fallback: s.fallback,
    error: s.error && relativeToContent(s.error, s.contentHash),
    runAt: s.runAt.toISOString(),
    createdAt: s.createdAt.toISOString(),
    startedAt: s.startedAt?.toISOString() ?? null,
    finishedAt: s.finishedAt?.toISOString() ?? null,
  }
}

export async function sessionHealth(s: Session) {
  const [worker, lastEvent] = await Promise.all([
    s.leaseOwner ? db.worker.findUnique({ where: { id: s.leaseOwner } }) : null,
    db.sessionEvent.findFirst({ where: { sessionId: s.id }, orderBy: { id: 'desc' } }),
  ])
  const active = isLeased(s.state)
  const lastActivity = lastEvent?.createdAt ?? s.updatedAt
  return {
    ...sessionStatus(s),
    encodeSpeed: s.encodeSpeed,
    segmentsReady: s.segmentsReady,
    segmentsTotal: s.segmentsTotal,
    lease: { owner: s.leaseOwner, expiresAt: s.leaseExpiresAt?.toISOString() ?? null },
    worker: worker
      ? { id: worker.id, host: worker.host, pid: worker.pid, cpu: worker.cpu, rssBytes: Number(worker.rss), heartbeatAt: worker.heartbeatAt.toISOString() }
      : null,
    lastEventAt: lastEvent?.createdAt.toISOString() ?? null,
    stalled: active && Date.now() - lastActivity.getTime() > SESSION_POLICY.hangTimeoutMs,
  }
}

/**
 * `text` with absolute paths of the content's folder (and of the data directory) made relative:
 * FFmpeg's log and some errors name files by absolute path, and where the data lives on the server
 * is no caller's business.
 */
export function relativeToContent(text: string, hash: string): string {
  const dir = contentDir(hash)
  // With a remote store the encode ran in a scratch folder `<hash>-<random>` of its worker.
  const scratch = new RegExp(`${escapeRegExp(workRoot())}/${hash}-[0-9a-f]+`, 'g')
  // The folder's name ends in the 64-hex hash, so replacing it cannot hit anything else.
  return text
    .replace(new RegExp(`${scratch.source}/`, 'g'), '')
    .replace(scratch, '.')
    .replaceAll(`${dir}/`, '')
    .replaceAll(dir, '.')
    .replaceAll(`${env().dataDir}/`, '')
}

/** The last `bytes` of the FFmpeg log of the session's content (empty before the first run), paths relative to the content. */
export async function sessionLogTail(s: Session, bytes: number): Promise<string> {
  const read = await contentStore()
    .read(s.contentHash, FFMPEG_LOG, { suffix: bytes })
    .catch((err) => {
      // An empty log has no last bytes to give.
      if (err instanceof UnsatisfiableRangeError) return null
      throw err
    })
  if (!read) return ''
  const text = Buffer.concat(await read.body.toArray()).toString('utf8')
  return relativeToContent(text, s.contentHash)
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
