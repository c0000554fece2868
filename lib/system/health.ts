import { z } from 'zod'
import { db } from '@/lib/db'
import { liveWorkers } from '@/lib/queue/workers'

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.enum(['ok', 'down']),
    workers: z.array(
      z.object({
        id: z.string(),
        host: z.string(),
        pid: z.int(),
        heartbeatAt: z.iso.datetime(),
        currentSessionId: z.string().nullable(),
        breakerOpen: z.boolean(),
      }),
    ),
    reason: z.string().optional(),
  })
  .meta({ id: 'Health' })
export type Health = z.infer<typeof healthSchema>

export async function checkHealth(): Promise<Health> {
  try {
    await db.$queryRaw`SELECT 1`
  } catch (err) {
    return { status: 'degraded', db: 'down', workers: [], reason: `database unreachable: ${(err as Error).message.split('\n')[0]}` }
  }
  const workers = await liveWorkers()
  return {
    status: 'ok',
    db: 'ok',
    workers: workers.map((w) => ({
      id: w.id,
      host: w.host,
      pid: w.pid,
      heartbeatAt: w.heartbeatAt.toISOString(),
      currentSessionId: w.currentSessionId,
      breakerOpen: w.breakerOpen,
    })),
  }
}
