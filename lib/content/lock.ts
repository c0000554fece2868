import type { Prisma } from '@/lib/db'

/**
 * Holds a lock on one content hash until the transaction ends. Everything that puts a content's
 * files in place or takes them away does so under it, so an ingest moving bytes in never races a
 * sweep or retention removing the same directory.
 */
export async function lockContentHash(tx: Prisma.TransactionClient, hash: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${hash}, 0))`
}
