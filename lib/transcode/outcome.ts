import { log } from '@/lib/log'

/**
 * Tells the outside world (webhooks) that content became ready or failed. The webhook module
 * hooks in here; without it this only logs.
 */
export async function notifyOutcome(contentHash: string, outcome: 'ready' | 'failed', reason?: string): Promise<void> {
  log.info({ contentHash, outcome, reason }, 'content outcome')
}
