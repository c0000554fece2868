import os from 'node:os'
import { db } from '@/lib/db'
import { SESSION_POLICY } from './policy'
import { TreeCpuMeter } from './process-cpu'

export interface WorkerBeat {
  currentSessionId: string | null
  breakerOpen?: boolean
  breakerReason?: string | null
}

export async function registerWorker(id: string): Promise<void> {
  await db.worker.upsert({
    where: { id },
    create: { id, host: os.hostname(), pid: process.pid },
    update: { host: os.hostname(), pid: process.pid, startedAt: new Date(), heartbeatAt: new Date() },
  })
}

/** The worker process plus its FFmpeg children, since the previous beat. */
const cpu = new TreeCpuMeter()

export async function heartbeat(id: string, beat: WorkerBeat): Promise<void> {
  const cpuPercent = await cpu.sample()
  await db.worker.update({
    where: { id },
    data: {
      heartbeatAt: new Date(),
      cpu: cpuPercent,
      rss: BigInt(process.memoryUsage().rss),
      currentSessionId: beat.currentSessionId,
      breakerOpen: beat.breakerOpen ?? false,
      breakerReason: beat.breakerReason ?? null,
    },
  })
}

export async function unregisterWorker(id: string): Promise<void> {
  await db.worker.delete({ where: { id } }).catch(() => {})
}

export async function liveWorkers() {
  return db.worker.findMany({
    where: { heartbeatAt: { gt: new Date(Date.now() - SESSION_POLICY.workerLiveMs) } },
    orderBy: { startedAt: 'asc' },
  })
}
