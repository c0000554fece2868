import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { db, disconnectDb } from '@/lib/db'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import { type CommandAck, EVENTS, type PlayerInfo, type PlayersListEvent } from '@/lib/realtime/protocol'
import { applyCommand, createRoom } from '@/lib/rooms'
import { collect, connect, createUser, createVideo, type Node, startNode, waitFor } from './harness'

// Two web nodes in one test, each an http server with socket.io on the postgres adapter against
// the same database: what one node sends reaches sockets on the other.

async function nodesSeeEachOther(nodes: Node[]): Promise<void> {
  const deadline = Date.now() + 10_000
  for (const node of nodes) {
    for (const ns of ['/player', '/admin']) {
      while ((await node.io.of(ns).adapter.serverCount()) < nodes.length) {
        if (Date.now() > deadline) throw new Error('nodes did not discover each other')
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  }
}

describe('two web nodes on the postgres adapter', () => {
  let a: Node
  let b: Node
  let owner: { actor: Actor; token: string }
  let admin: { actor: Actor; token: string }
  const sockets: Socket[] = []
  const managers: CommandsManager[] = []

  beforeAll(async () => {
    a = await startNode({ cluster: true })
    b = await startNode({ cluster: true })
    await nodesSeeEachOther([a, b])
    owner = await createUser()
    admin = await createUser('ADMIN')
  })
  afterAll(async () => {
    for (const m of managers) m.close()
    for (const s of sockets) s.close()
    await a.close()
    await b.close()
    await disconnectDb()
  })

  const playerOn = async (node: Node, token: string, clientId?: string) => {
    const m = new CommandsManager({ socket: await connect(node.url, '/player', token), clientId })
    sockets.push(m.socket)
    managers.push(m)
    const seen: PlaybackDirective[] = []
    m.onCommand((d) => seen.push(d))
    return { m, seen }
  }

  it('delivers a command sent on node A to a player connected to node B', async () => {
    const room = await createRoom(owner.actor, { name: 'Cluster' })
    const onB = await playerOn(b, owner.token)
    const onA = await playerOn(a, owner.token)
    await onB.m.join(room.id)
    await onA.m.join(room.id)
    const adminOnA = await connect(a.url, '/admin', admin.token)
    sockets.push(adminOnA)
    const ack: CommandAck = await adminOnA.emitWithAck('command', { type: 'seek', roomId: room.id, positionMs: 3000 })
    expect(ack).toMatchObject({ ok: true, seq: 1 })
    await waitFor(() => onB.seen.length === 2 && onA.seen.length === 2, 5000, 'cross-node command')
    expect(onB.seen[1]).toMatchObject({ type: 'seek', seq: 1, positionMs: 3000 })
  })

  it('reaches node B from a REST publish on node A, also with payloads over the NOTIFY limit', async () => {
    const room = await createRoom(owner.actor, { name: 'Big' })
    const onB = await playerOn(b, owner.token)
    await onB.m.join(room.id)
    // 300 ids make the event ~10 KB: the adapter carries it through its attachments table.
    const hashes = Array.from({ length: 300 }, (_, i) => `cluster-${Date.now()}-${i}`)
    await db.content.createMany({ data: hashes.map((hash) => ({ hash, size: 1, mime: 'video/mp4' })) })
    await db.video.createMany({ data: hashes.map((hash) => ({ ownerId: owner.actor.userId, title: hash, contentHash: hash })) })
    const ids = (await db.video.findMany({ where: { contentHash: { in: hashes } }, select: { id: true } })).map((v) => v.id)
    const result = await applyCommand(owner.actor, room.id, { type: 'playlist.load', roomId: room.id, videoIds: ids })
    expect(JSON.stringify(result).length).toBeGreaterThan(8000)
    a.realtime.publishCommand(result)
    await waitFor(() => onB.seen.length === 2, 5000, 'large cross-node command')
    expect(onB.seen[1].state.videoIds).toHaveLength(300)
  })

  it('lists players of both nodes to an admin and forwards presence across nodes', async () => {
    const video = await createVideo(owner.actor.userId)
    const onB = await playerOn(b, owner.token, 'cluster-tab-1')
    const room = await onB.m.joinPersonal()
    const adminOnA = await connect(a.url, '/admin', admin.token)
    sockets.push(adminOnA)
    const updates = collect<PlayersListEvent>(adminOnA, 'players.update')
    const list: { ok: true; players: PlayerInfo[] } = await adminOnA.emitWithAck('players.list')
    expect(list.players.find((p) => p.socketId === onB.m.socket.id)).toMatchObject({ personalRoomId: room.id })

    onB.m.socket.emit('presence', { roomId: room.id, videoId: video.id, positionMs: 10, bufferedAheadMs: 20, source: 'chunked', playing: true })
    await waitFor(
      () => updates.some((u) => u.players.some((p) => p.socketId === onB.m.socket.id && p.presence?.source === 'chunked')),
      5000,
      'cross-node presence',
    )
    // The admin on A addresses that one player on B through its personal room.
    const ack: CommandAck = await adminOnA.emitWithAck('command', { type: 'pause', roomId: room.id })
    expect(ack.ok).toBe(true)
    await waitFor(() => onB.seen.some((d) => d.type === 'pause'), 5000, 'admin command across nodes')
  })

  it('forwards per-user events from one node to the user on the other', async () => {
    const onB = await connect(b.url, '/player', owner.token)
    sockets.push(onB)
    const got = collect<unknown>(onB, EVENTS.pipelineEvent)
    a.realtime.emitToUser(owner.actor.userId, EVENTS.pipelineEvent, { progress: 1 })
    await waitFor(() => got.length === 1, 5000, 'cross-node user event')
  })
})
