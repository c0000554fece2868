import { db } from '@/lib/db'
import { liveWorkers } from '@/lib/queue/workers'

export interface Health {
  status: 'ok' | 'degraded'
  db: 'ok' | 'down'
  workers: { id: string; host: string; pid: number; heartbeatAt: string; currentSessionId: string | null; breakerOpen: boolean }[]
  reason?: string
}

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
