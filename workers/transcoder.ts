// The worker process: claims transcode sessions from Postgres and runs the media pipeline.
import { readEnv } from '@/lib/config/env'
import { disconnectDb } from '@/lib/db'
import { retentionLoop } from '@/lib/content/retention'
import { startWebhookDeliveries } from '@/lib/webhooks/deliver'
import { log } from '@/lib/log'
import { WorkerRunner } from '@/lib/queue/runner'
import { createSessionHandler } from '@/lib/transcode/handler'
import { startPosterRenders } from '@/lib/transcode/poster-renders'

async function main() {
  const env = readEnv()
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it for you; npm run worker needs it)')
  const { handler, gate, config } = await createSessionHandler()
  const runner = new WorkerRunner(handler, gate)
  await runner.start()
  const background = new AbortController()
  retentionLoop(config.storage.retentionDays, background.signal)
  const webhooks = startWebhookDeliveries({ signal: background.signal })
  // Poster frames in a loop of their own: a second of FFmpeg should not wait behind a long encode.
  const posters = startPosterRenders({ signal: background.signal, workerId: runner.id })
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'worker stopping')
    const force = setTimeout(() => process.exit(1), 15_000)
    force.unref()
    background.abort()
    await runner.stop()
    await webhooks.catch(() => {})
    await posters.catch(() => {})
    await disconnectDb()
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}

main().catch((err) => {
  console.error(`reelhouse worker: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
})
