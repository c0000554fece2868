import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { disconnectDb } from '@/lib/db'
import { CommandsManager } from '@/lib/realtime/commands-manager'
import { connectPlayerSocket } from '@/lib/realtime/connect'
import type { CommandAck } from '@/lib/realtime/protocol'
import { base, makeMp4, uploadMultipart, userWithKey, waitForStatus } from '../api/client'
import { processes } from '../processes'

// Commands first: the production server runs socket.io's WebSocket connections in a
// process of their own at a higher CPU priority than the one serving pages and media, and
// long-polling clients stay with the web process. Both kinds of player get every command, in
// order, also while many range streams are in flight.

describe('the command layer in its own process', () => {
  let key: string
  let auth: Record<string, string>
  const managers: CommandsManager[] = []

  beforeAll(async () => {
    ;({ key, auth } = await userWithKey())
  })
  afterAll(async () => {
    for (const m of managers) {
      m.close()
      m.socket.close()
    }
    await disconnectDb()
  })

  it('runs socket.io in a child of the web process that has the CPU before pages, media and encodes', () => {
    const all = processes()
    const web = all.find((p) => p.pid === inject('webPid'))!
    const realtime = all.find((p) => p.ppid === web.pid && p.args.includes('realtime-process'))
    expect(realtime, 'a realtime child of the web process').toBeDefined()
    expect(web.nice).toBeGreaterThan(realtime!.nice)
  })

  it('delivers every command in order to WebSocket and long-polling players while range streams run', async () => {
    const created = await (
      await uploadMultipart(makeMp4('isolation.mp4', { seconds: 20, size: '1280x720' }), { title: 'Isolation load', visibility: 'public' }, auth)
    ).json()
    const video = await waitForStatus(created.id, auth, ['ready', 'failed'])
    expect(video.status).toBe('ready')
    const original = `${base()}/api/v1/content/${String(video.contentHash)}/original`

    const room = (await (
      await fetch(`${base()}/api/v1/rooms`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'isolation' }),
      })
    ).json()) as { id: string }
    const player = (transport: 'websocket' | 'polling') => {
      const m = new CommandsManager({ socket: connectPlayerSocket(base(), { token: key, transports: [transport], forceNew: true }) })
      managers.push(m)
      const seqs: number[] = []
      m.onCommand((d) => d.event && seqs.push(d.seq))
      return { m, seqs }
    }
    const ws = player('websocket')
    const polling = player('polling')
    await Promise.all([ws.m.join(room.id), polling.m.join(room.id)])
    expect(ws.m.socket.io.engine.transport.name).toBe('websocket')
    expect(polling.m.socket.io.engine.transport.name).toBe('polling')

    // 20 readers pull the original again and again until the commands are through.
    let streaming = true
    let bytes = 0
    const reader = async () => {
      while (streaming) {
        const res = await fetch(original, { headers: { range: 'bytes=0-' } })
        for await (const chunk of res.body!) bytes += (chunk as Uint8Array).length
      }
    }
    const readers = Array.from({ length: 20 }, reader)
    const sender = connectPlayerSocket(base(), { token: key, transports: ['websocket'], forceNew: true })
    const sent: number[] = []
    for (let i = 0; i < 20; i++) {
      const cmd = i % 2 ? { type: 'seek', roomId: room.id, positionMs: i * 1000 } : { type: i % 4 ? 'play' : 'pause', roomId: room.id }
      if (i % 5 === 4) {
        // Third parties drive the room over REST: the web process hands it to the realtime process.
        const res = await fetch(`${base()}/api/v1/rooms/${room.id}/commands`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify(cmd),
        })
        expect(res.status).toBe(200)
        sent.push(((await res.json()) as { seq: number }).seq)
      } else {
        const ack = (await sender.timeout(10_000).emitWithAck('command', cmd)) as CommandAck
        expect(ack.ok).toBe(true)
        if (ack.ok) sent.push(ack.seq)
      }
    }
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline && (ws.seqs.length < sent.length || polling.seqs.length < sent.length)) await new Promise((r) => setTimeout(r, 50))
    streaming = false
    await Promise.all(readers)
    sender.close()

    expect(sent).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(ws.seqs).toEqual(sent)
    expect(polling.seqs).toEqual(sent)
    expect(bytes).toBeGreaterThan(20 * 1024 * 1024)
  })
})
