import { db, type Prisma, type TranscodeSession, type Video } from '@/lib/db'
import { statusOf } from '@/lib/videos/view'
import { enqueueWebhookEvent } from './enqueue'

// Turns pipeline outcomes into webhook events for the owners of the videos concerned. Every
// enqueue carries an idempotency key, so calling these again for the same outcome is harmless.

type VideoWithContent = Video & { content: { state: string; durationMs: number | null; width: number | null; height: number | null } }

const videoData = (v: VideoWithContent) => ({
  id: v.id,
  title: v.title,
  visibility: v.visibility,
  status: statusOf(v.content.state),
  contentHash: v.contentHash,
  durationMs: v.content.durationMs,
  width: v.content.width,
  height: v.content.height,
  createdAt: v.createdAt.toISOString(),
})

const sessionData = (s: TranscodeSession) => ({
  id: s.id,
  state: s.state,
  attempt: s.attempt,
  error: s.error,
  finishedAt: s.finishedAt?.toISOString() ?? null,
})

type Client = Prisma.TransactionClient | typeof db

const videosOf = (client: Client, contentHash: string) =>
  client.video.findMany({
    where: { contentHash },
    include: { content: { select: { state: true, durationMs: true, width: true, height: true } } },
  })

/**
 * Enqueues the webhook events for a session that reached an end state: `video.ready` for every
 * video of a STORED session; `session.failed` and `video.failed` for a FAILED or CANCELLED one.
 * Other states do nothing. The session lifecycle calls it inside the transaction of the final move
 * (`client`), so the deliveries exist exactly when the move committed.
 */
export async function enqueueSessionOutcome(sessionId: string, client: Client = db): Promise<number> {
  const session = await client.transcodeSession.findUnique({ where: { id: sessionId } })
  if (!session) return 0
  const run = `${session.id}:${session.finishedAt?.getTime() ?? session.updatedAt.getTime()}`
  const videos = await videosOf(client, session.contentHash)
  let n = 0
  if (session.state === 'STORED') {
    for (const v of videos) {
      n += await enqueueWebhookEvent({
        ownerId: v.ownerId,
        event: 'video.ready',
        payload: { video: videoData(v), session: sessionData(session) },
        key: `video.ready:${v.id}:${run}`,
        tx: client,
      })
    }
  } else if (session.state === 'FAILED' || session.state === 'CANCELLED') {
    const owners = new Map<string, string[]>()
    for (const v of videos) owners.set(v.ownerId, [...(owners.get(v.ownerId) ?? []), v.id])
    for (const [ownerId, videoIds] of owners) {
      n += await enqueueWebhookEvent({
        ownerId,
        event: 'session.failed',
        payload: { session: sessionData(session), contentHash: session.contentHash, videoIds },
        key: `session.failed:${ownerId}:${run}`,
        tx: client,
      })
    }
    for (const v of videos) {
      n += await enqueueWebhookEvent({
        ownerId: v.ownerId,
        event: 'video.failed',
        payload: { video: videoData(v), session: sessionData(session) },
        key: `video.failed:${v.id}:${run}`,
        tx: client,
      })
    }
  }
  return n
}

/**
 * `video.ready` for a video that is ready without a session of its own: an upload deduplicated
 * against content that is stored already. Does nothing while the content is still processing.
 */
export async function enqueueVideoReady(videoId: string): Promise<number> {
  const v = await db.video.findUnique({
    where: { id: videoId },
    include: { content: { select: { state: true, durationMs: true, width: true, height: true } } },
  })
  if (v?.content.state !== 'STORED') return 0
  return enqueueWebhookEvent({
    ownerId: v.ownerId,
    event: 'video.ready',
    payload: { video: videoData(v), session: null },
    key: `video.ready:${v.id}:dedup`,
  })
}
