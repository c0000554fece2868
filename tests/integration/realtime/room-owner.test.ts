import { fork } from 'node:child_process'
import pg from 'pg'
import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { db, disconnectDb } from '@/lib/db'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import type { CommandAck, RoomState } from '@/lib/realtime/protocol'
import { createRoom } from '@/lib/rooms'
import { ROOM_LOCK_CLASS } from '@/lib/rooms/state'
import { connect, createUser, createVideo, type Node, startNode, waitFor } from './harness'

// The room's owner node assigns seqs and broadcasts from the state it holds, and writes the row
// after: a command never waits on the database write, the row ends equal to the last broadcast,
// and across nodes every command of a room comes from its one owner, in one seq order.

/** The persisted state of a room, in the shape players get. */
async function row(roomId: string): Promise<Pick<RoomState, 'seq' | 'positionMs' | 'playing' | 'currentIndex' | 'videoIds' | 'updatedAt'>> {
  const r = await db.room.findUniqueOrThrow({ where: { id: roomId } })
  return { seq: r.seq, positionMs: r.positionMs, playing: r.playing, currentIndex: r.currentIndex, videoIds: r.videoIds, updatedAt: r.updatedAt.getTime() }
}
const persisted = (s: RoomState) => ({
  seq: s.seq,
  positionMs: s.positionMs,
  playing: s.playing,
  currentIndex: s.currentIndex,
  videoIds: s.videoIds,
  updatedAt: s.updatedAt,
})

/** The write-back follows the broadcast: wait until the row has the seq (or time out and let the assertion say so). */
async function rowReaches(roomId: string, seq: number): Promise<void> {
  const deadline = Date.now() + 10_000
  while ((await row(roomId)).seq < seq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
}

/** Holds a FOR UPDATE lock on the room's row until release(): the owner's writes wait, reads do not. */
async function lockRow(roomId: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  await client.query('BEGIN')
  await client.query('SELECT 1 FROM "Room" WHERE "id" = $1 FOR UPDATE', [roomId])
  return {
    release: async () => {
      await client.query('ROLLBACK')
      await client.end()
    },
  }
}

async function lockHeld(roomId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
    AND classid = ${ROOM_LOCK_CLASS}::int::oid AND objid = hashtext(${roomId})::oid AND objsubid = 2`
  return rows[0].n > 0
}

async function nodesSeeEachOther(nodes: Node[]): Promise<void> {
  const deadline = Date.now() + 10_000
  for (const node of nodes) {
    while ((await node.io.of('/player').adapter.serverCount()) < nodes.length) {
      if (Date.now() > deadline) throw new Error('nodes did not discover each other')
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

describe('the room owner node', () => {
  let owner: { actor: Actor; token: string }
  let viewer: { actor: Actor; token: string }
  const sockets: Socket[] = []
  const managers: CommandsManager[] = []
  const nodes: Node[] = []

  const start = async (cluster = false) => {
    const node = await startNode({ cluster })
    nodes.push(node)
    return node
  }
  const socketOn = async (node: Node, token: string) => {
    const s = await connect(node.url, '/player', token)
    sockets.push(s)
    return s
  }
  const playerOn = async (node: Node, roomId: string) => {
    const m = new CommandsManager({ socket: await socketOn(node, viewer.token) })
    managers.push(m)
    const seen: PlaybackDirective[] = []
    m.onCommand((d) => seen.push(d))
    await m.join(roomId)
    return { m, seen }
  }
  const stop = async (node: Node) => {
    nodes.splice(nodes.indexOf(node), 1)
    await node.close()
  }

  beforeAll(async () => {
    owner = await createUser()
    viewer = await createUser()
  })
  afterAll(async () => {
    for (const m of managers) m.close()
    for (const s of sockets) s.close()
    for (const n of nodes) await n.close()
    await disconnectDb()
  })

  it('acks and broadcasts commands while the room row is locked by another transaction, and writes the row once it is free', async () => {
    const node = await start()
    const room = await createRoom(owner.actor, { name: 'Locked row' })
    const player = await playerOn(node, room.id)
    const sender = await socketOn(node, owner.token)
    // The first command takes the room (one read and one write): before the lock.
    expect(await sender.emitWithAck('command', { type: 'seek', roomId: room.id, positionMs: 1000 })).toMatchObject({ ok: true, seq: 1 })
    await waitFor(() => player.seen.some((d) => d.seq === 1), 5000, 'first command')

    const rowLock = await lockRow(room.id)
    try {
      // With the row locked, a command that waited on its UPDATE would not be acked at all.
      const acks: CommandAck[] = []
      for (const cmd of [{ type: 'play' }, { type: 'seek', positionMs: 60_000 }, { type: 'pause' }]) {
        acks.push(await sender.timeout(10_000).emitWithAck('command', { ...cmd, roomId: room.id }))
      }
      expect(acks.map((a) => a.ok && a.seq)).toEqual([2, 3, 4])
      await waitFor(() => player.seen.some((d) => d.seq === 4), 5000, 'commands while the row is locked')
      expect((await row(room.id)).seq).toBeLessThan(4)
    } finally {
      await rowLock.release()
    }
    const last = player.seen.at(-1)!
    expect(last).toMatchObject({ type: 'pause', seq: 4, state: { playing: false } })
    await rowReaches(room.id, 4)
    expect(await row(room.id)).toEqual(persisted(last.state))
    await stop(node)
  })

  it('leaves the row equal to the last broadcast when its node stops; the next node continues with the next seq', async () => {
    const video = await createVideo(owner.actor.userId)
    const a = await start()
    const room = await createRoom(owner.actor, { name: 'Restart' })
    const player = await playerOn(a, room.id)
    const sender = await socketOn(a, owner.token)
    for (const cmd of [{ type: 'playlist.load', videoIds: [video.id] }, { type: 'seek', positionMs: 42_000 }, { type: 'play' }]) {
      expect(await sender.emitWithAck('command', { ...cmd, roomId: room.id })).toMatchObject({ ok: true })
    }
    await waitFor(() => player.seen.some((d) => d.seq === 3), 5000, 'three commands')
    const last = player.seen.at(-1)!.state
    // No wait for the write here: stopping the node writes the room back before it lets go.
    await stop(a)
    expect(await row(room.id)).toEqual(persisted(last))

    const b = await start()
    const again = await playerOn(b, room.id)
    expect(again.seen[0]).toMatchObject({ type: 'sync', seq: 3, state: persisted(last) })
    const next: CommandAck = await (await socketOn(b, owner.token)).emitWithAck('command', { type: 'pause', roomId: room.id })
    expect(next).toMatchObject({ ok: true, seq: 4 })
    await waitFor(() => again.seen.some((d) => d.seq === 4), 5000, 'the next seq from the next node')
    await stop(b)
  })

  it('orders interleaved socket and REST commands sent on two nodes into one seq sequence every player sees alike', async () => {
    const a = await start(true)
    const b = await start(true)
    await nodesSeeEachOther([a, b])
    const room = await createRoom(owner.actor, { name: 'Two nodes' })
    const players = [await playerOn(a, room.id), await playerOn(b, room.id)]
    const senders = [await socketOn(a, owner.token), await socketOn(b, owner.token)]
    const N = 32
    // Four sources at once: a socket on each node and each node's REST entry point.
    const sent = await Promise.all(
      Array.from({ length: N }, async (_, i): Promise<number> => {
        const cmd = { type: 'seek' as const, roomId: room.id, positionMs: (i + 1) * 1000 }
        if (i % 4 < 2) {
          const ack: CommandAck = await senders[i % 2].timeout(10_000).emitWithAck('command', cmd)
          if (!ack.ok) throw new Error(ack.error.message)
          return ack.seq
        }
        return (await (i % 4 === 2 ? a : b).realtime.applyCommand(owner.actor, room.id, cmd)).seq
      }),
    )
    expect([...sent].sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    await waitFor(() => players.every((p) => p.seen.some((d) => d.seq === N)), 10_000, 'every command on both nodes')
    const applied = players.map((p) => p.seen.filter((d) => d.type !== 'sync'))
    for (const list of applied) expect(list.map((d) => d.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1))
    // One owner: the same seq carries the same state on both nodes.
    expect(applied[0].map((d) => d.state)).toEqual(applied[1].map((d) => d.state))
    await rowReaches(room.id, N)
    expect(await row(room.id)).toEqual(persisted(applied[0].at(-1)!.state))
  })

  it('continues past every seq a crashed owner may have broadcast, and players end on the state the next owner holds', async () => {
    const b = await start(true)
    const child = fork(new URL('./fixtures/cluster-node.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LOG_LEVEL: 'error', TEST_ACTORS: JSON.stringify([[owner.token, owner.actor]]) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    try {
      const { url } = await new Promise<{ url: string }>((resolve, reject) => {
        child.once('message', (m: { url: string }) => resolve(m))
        child.once('exit', (code) => reject(new Error(`cluster node exited ${code}`)))
      })
      const deadline = Date.now() + 10_000
      while ((await b.io.of('/player').adapter.serverCount()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      const room = await createRoom(owner.actor, { name: 'Crash' })
      const player = await playerOn(b, room.id)
      const sender = await socketOn({ url } as Node, owner.token)
      // The other process takes the room with its first command, then broadcasts three it cannot write.
      expect(await sender.emitWithAck('command', { type: 'seek', roomId: room.id, positionMs: 1000 })).toMatchObject({ ok: true, seq: 1 })
      await rowReaches(room.id, 1)
      const rowLock = await lockRow(room.id)
      for (const cmd of [{ type: 'play' }, { type: 'seek', positionMs: 60_000 }, { type: 'seek', positionMs: 90_000 }]) {
        expect(await sender.timeout(10_000).emitWithAck('command', { ...cmd, roomId: room.id })).toMatchObject({ ok: true })
      }
      await waitFor(() => player.seen.some((d) => d.seq === 4), 5000, "the crashing owner's broadcasts")
      child.kill('SIGKILL')
      await rowLock.release()
      const gone = Date.now() + 10_000
      while ((await lockHeld(room.id)) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50))

      const result = await b.realtime.applyCommand(owner.actor, room.id, { type: 'pause', roomId: room.id })
      // Whatever reached the row, the next seq is past every seq the dead owner could have sent.
      expect(result.seq).toBeGreaterThan(4)
      await waitFor(() => player.seen.some((d) => d.seq === result.seq), 5000, 'the command after the takeover')
      const seqs = player.seen.map((d) => d.seq)
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
      expect(new Set(seqs).size).toBe(seqs.length)
      expect(player.m.state(room.id)).toEqual(result.state)
      await rowReaches(room.id, result.seq)
      expect(await row(room.id)).toEqual(persisted(result.state))
    } finally {
      child.kill('SIGKILL')
    }
  })
})
