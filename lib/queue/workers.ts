import os from 'node:os'
import { db } from '@/lib/db'
import { SESSION_POLICY } from './policy'

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

let lastCpu = process.cpuUsage()
let lastAt = process.hrtime.bigint()

/** CPU use of this process since the previous beat, in percent of one core. */
function cpuPercent(): number {
  const now = process.hrtime.bigint()
  const cpu = process.cpuUsage(lastCpu)
  const elapsedUs = Number(now - lastAt) / 1000
  lastCpu = process.cpuUsage()
  lastAt = now
  return elapsedUs > 0 ? Math.round(((cpu.user + cpu.system) / elapsedUs) * 1000) / 10 : 0
}

export async function heartbeat(id: string, beat: WorkerBeat, childCpu = 0): Promise<void> {
  await db.worker.update({
    where: { id },
    data: {
      heartbeatAt: new Date(),
      cpu: cpuPercent() + childCpu,
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
