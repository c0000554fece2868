import { monitorEventLoopDelay } from 'node:perf_hooks'
import { CommandsManager } from '@/lib/realtime/commands-manager'
import { connectPlayerSocket } from '@/lib/realtime/connect'
import { type FromPlayers, type ToPlayers, wallNow } from './shared'

// A client process holding many players, each a CommandsManager on its own websocket, joined
// to one room. Latency is measured where the player would act: when the manager hands over the
// directive, against the event's serverTime (the server's Date.now(), same machine).

const send = (m: FromPlayers) => process.send?.(m)
const lag = monitorEventLoopDelay({ resolution: 1 })
lag.enable()
let cpuAt = process.cpuUsage()
const managers: CommandsManager[] = []
let seqs: number[] = []
let recvAt: number[] = []
let serverTime: number[] = []
let outOfOrder = 0

async function start(msg: Extract<ToPlayers, { type: 'start' }>) {
  const joins: Promise<unknown>[] = []
  for (let i = 0; i < msg.count; i++) {
    const socket = connectPlayerSocket(msg.url, {
      token: msg.token,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      // A busy machine may take longer than socket.io's 20 s to connect 500 sockets; not what we measure.
      timeout: 120_000,
    })
    // Generous ack timeout: on a busy machine a join can take seconds, which is not what we measure.
    const manager = new CommandsManager({ socket, presenceIntervalMs: 3000, ackTimeoutMs: 60_000 })
    let lastSeq = -1
    manager.onCommand((d) => {
      if (!d.event) return
      recvAt.push(wallNow())
      seqs.push(d.seq)
      serverTime.push(d.event.serverTime)
      if (d.seq <= lastSeq) outOfOrder++
      lastSeq = d.seq
    })
    // Players report presence like real ones do, so the server carries that load too.
    manager.setPresenceProvider(() => ({
      roomId: msg.roomId,
      videoId: null,
      positionMs: manager.expectedPositionMs(msg.roomId) ?? 0,
      bufferedAheadMs: 10_000,
      source: 'direct',
      playing: true,
    }))
    managers.push(manager)
    joins.push(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => manager.join(msg.roomId).then(() => resolve(), reject))
        socket.once('connect_error', reject)
      }),
    )
    // Spread the connection burst a little.
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20))
  }
  await Promise.all(joins)
  send({ type: 'ready', connected: managers.filter((m) => m.socket.connected).length })
}

process.on('message', (msg: ToPlayers) => {
  if (msg.type === 'start') {
    start(msg).catch((err) => send({ type: 'error', message: String(err) }))
  } else if (msg.type === 'collect') {
    const cpu = process.cpuUsage(cpuAt)
    const lagP99 = lag.percentile(99) / 1e6
    send({ type: 'samples', seqs, recvAt, serverTime, outOfOrder, lagP99, cpuMs: (cpu.user + cpu.system) / 1000 })
    lag.reset()
    cpuAt = process.cpuUsage()
    seqs = []
    recvAt = []
    serverTime = []
    outOfOrder = 0
  } else if (msg.type === 'stop') {
    for (const m of managers) {
      m.close()
      m.socket.close()
    }
    setTimeout(() => process.exit(0), 100)
  }
})
process.on('disconnect', () => process.exit(0))
