import pg from 'pg'
import { db } from '@/lib/db'
import { log } from '@/lib/log'
import { EVENTS_CHANNEL } from '@/lib/queue/channels'
import type { NotifiedEvent } from '@/lib/queue/events'
import { EVENTS } from '@/lib/realtime/protocol'

export interface EventSink {
  emitToUser(userId: string, event: typeof EVENTS.pipelineEvent, data: NotifiedEvent): void
  emitToAdmins(event: typeof EVENTS.pipelineEvent, data: NotifiedEvent): void
}

const bridgeLog = log.child({ c: 'events' })

/**
 * Workers never talk to web processes: they NOTIFY, and every web process LISTENs here and fans
 * the pipeline events out over socket.io to the uploaders of that content and to admins.
 */
export function startEventsBridge(databaseUrl: string, sink: EventSink): { stop(): Promise<void> } {
  let client: pg.Client | null = null
  let stopped = false
  let retryMs = 500

  const deliver = async (ev: NotifiedEvent) => {
    sink.emitToAdmins(EVENTS.pipelineEvent, ev)
    const owners = await db.video.findMany({ where: { contentHash: ev.contentHash }, select: { ownerId: true }, distinct: ['ownerId'] })
    for (const o of owners) sink.emitToUser(o.ownerId, EVENTS.pipelineEvent, ev)
  }

  const connect = async () => {
    if (stopped) return
    const c = new pg.Client({ connectionString: databaseUrl })
    c.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return
      try {
        void deliver(JSON.parse(msg.payload) as NotifiedEvent).catch((err) => bridgeLog.warn({ err }, 'event delivery failed'))
      } catch (err) {
        bridgeLog.warn({ err }, 'malformed event')
      }
    })
    c.on('error', (err) => {
      bridgeLog.warn({ err: err.message }, 'events connection lost; reconnecting')
      client = null
      setTimeout(() => void connect(), retryMs).unref()
      retryMs = Math.min(retryMs * 2, 30_000)
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${EVENTS_CHANNEL}`)
      client = c
      retryMs = 500
    } catch (err) {
      bridgeLog.warn({ err: (err as Error).message }, 'cannot listen for events; retrying')
      setTimeout(() => void connect(), retryMs).unref()
      retryMs = Math.min(retryMs * 2, 30_000)
    }
  }
  void connect()
  return {
    async stop() {
      stopped = true
      await client?.end().catch(() => {})
    },
  }
}
