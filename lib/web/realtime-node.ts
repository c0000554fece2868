import pg from 'pg'
import type { Server } from 'socket.io'
import { actorFromHandshake } from '@/lib/auth/socket'
import { attachRealtime, type Realtime } from '@/lib/realtime/server'
import { startEventsBridge } from './events-bridge'

export interface RealtimeNode {
  realtime: Realtime
  /** Releases owned rooms, stops presence and the events LISTEN, closes io (and the http server it is attached to), then the adapter's pool. */
  stop(): Promise<void>
}

/**
 * One node of the realtime cluster on `io`: the command layer, joined to every other node (web
 * processes, realtime processes) through @socket.io/postgres-adapter, and the pipeline events
 * for this node's own sockets. The web process and the realtime process each run one.
 */
export async function startRealtimeNode(io: Server, databaseUrl: string, opts: { ownsRooms?: boolean } = {}): Promise<RealtimeNode> {
  const adapterPool = new pg.Pool({ connectionString: databaseUrl, max: 4 })
  const realtime = await attachRealtime(io, { authenticate: actorFromHandshake, adapterPool, ownsRooms: opts.ownsRooms })
  const bridge = startEventsBridge(databaseUrl, {
    // Every node LISTENs to the same NOTIFY, so each delivers to its own sockets only.
    emitToUser: (userId, event, data) => realtime.emitToUser(userId, event, data, { local: true }),
    emitToAdmins: (event, data) => realtime.emitToAdmins(event, data, { local: true }),
  })
  return {
    realtime,
    async stop() {
      // Writes back and releases the rooms this node owns, so another node continues them cleanly.
      await realtime.close()
      await bridge.stop()
      // Before the pool: the adapter holds one of its clients for LISTEN until io closes it, and
      // pool.end() waits for every client to come back.
      io.close()
      await adapterPool.end().catch(() => {})
    },
  }
}
