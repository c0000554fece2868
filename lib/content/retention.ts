import { db } from '@/lib/db'
import { log } from '@/lib/log'
import { sweepLeftovers } from './leftovers'
import { lockContentHash } from './lock'
import { contentStore } from './store'

/**
 * Deletes content that no video has referenced for `retentionDays`. The reference count is
 * re-checked under a row lock in the same transaction, so content that gained a video meanwhile
 * (a re-upload of the same bytes) is never deleted.
 */
export async function sweepOrphanedContent(retentionDays: number): Promise<string[]> {
  const cutoff = new Date(Date.now() - retentionDays * 86_400_000)
  const candidates = await db.content.findMany({ where: { orphanedAt: { lt: cutoff } }, select: { hash: true } })
  const removed: string[] = []
  for (const { hash } of candidates) {
    const gone = await db.$transaction(
      async (tx) => {
        await lockContentHash(tx, hash)
        await tx.$queryRaw`SELECT hash FROM "Content" WHERE hash = ${hash} FOR UPDATE`
        if ((await tx.video.count({ where: { contentHash: hash } })) > 0) {
          await tx.content.update({ where: { hash }, data: { orphanedAt: null } })
          return false
        }
        await tx.content.delete({ where: { hash } })
        // Under the hash's lock, so an ingest of the same bytes cannot move them in meanwhile.
        await contentStore().remove(hash)
        return true
      },
      { timeout: 120_000 },
    )
    if (gone) removed.push(hash)
  }
  if (removed.length) log.info({ removed: removed.length }, 'retention: removed unreferenced content')
  return removed
}

/** Sweeps once an hour until `signal` aborts (run by the worker): retention, then leftovers no row references. */
export function retentionLoop(retentionDays: number, signal: AbortSignal): void {
  const tick = () =>
    void sweepOrphanedContent(retentionDays)
      .catch((err) => log.warn({ err }, 'retention sweep failed'))
      .then(() => sweepLeftovers({ store: contentStore() }))
      .catch((err) => log.warn({ err }, 'leftover sweep failed'))
  const timer = setInterval(tick, 3600_000)
  timer.unref()
  signal.addEventListener('abort', () => clearInterval(timer))
  tick()
}
