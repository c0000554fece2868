import { z } from 'zod'
import { AppError } from '@/lib/errors'

/**
 * Prisma arguments for the page after `cursor` (the last id of the previous page). The cursor must
 * be a row of the same listing for the same caller: an unknown id, or one the caller cannot list,
 * is a 400, so a cursor never tells whether someone else's private row exists.
 */
export async function pageAfter(cursor: string | undefined, listed: (id: string) => Promise<number>): Promise<{ cursor?: { id: string }; skip?: number }> {
  if (!cursor) return {}
  if ((await listed(cursor)) === 0) {
    throw new AppError('BAD_REQUEST', 'Unknown cursor: use nextCursor from the previous page.', {
      errors: [{ path: 'cursor', message: 'not a cursor of this listing' }],
    })
  }
  return { cursor: { id: cursor }, skip: 1 }
}

/** A list answer without pagination, `{ items }`, named `id` in the document. */
export const itemsOf = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item) }).meta({ id })
