import type { RateLimiter } from '@/lib/api/rate-limit'
import { log as rootLog } from '@/lib/log'
import { ackOf, errorAck } from './acks'
import { type AdminNamespace, type CommonHandlers, eventLimit } from './namespaces'
import { EVENTS, type PlayerInfo, type PlayersAck } from './protocol'

const log = rootLog.child({ c: 'realtime' })

/** `/admin`: admins command any room and follow every connected player. */
export function serveAdmins(admins: AdminNamespace, deps: { common: CommonHandlers; limiter: RateLimiter; listPlayers: () => Promise<PlayerInfo[]> }): void {
  const { common, listPlayers } = deps
  admins.on('connection', (socket) => {
    socket.use(eventLimit(deps.limiter, socket.id))
    const { actor } = socket.data
    socket.on(EVENTS.command, (raw, ack) => common.command(actor, raw, ack))
    socket.on(EVENTS.clockPing, (raw, ack) => common.clockPing(raw, ack))
    socket.on(EVENTS.roomSync, (raw, ack) => common.roomSync(actor, raw, ack))
    socket.on(EVENTS.playersList, async (ack) => {
      const reply = ackOf<PlayersAck>(ack)
      try {
        reply({ ok: true, players: await listPlayers() })
      } catch (err) {
        reply(errorAck(err))
      }
    })
    listPlayers().then(
      (list) => socket.emit(EVENTS.playersList, { players: list }),
      (err) => log.warn({ err }, 'players list failed'),
    )
  })
}
