import { log } from '@/lib/log'
import { enqueueContentOutcome } from '@/lib/webhooks/events'

/** Tells the outside world (webhooks `video.ready`, `video.failed`, `session.failed`) that content ended. */
export async function notifyOutcome(contentHash: string, outcome: 'ready' | 'failed', reason?: string): Promise<void> {
  log.info({ contentHash, outcome, reason }, 'content outcome')
  await enqueueContentOutcome(contentHash).catch((err) => log.warn({ err }, 'webhook enqueue failed'))
}
