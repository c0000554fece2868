import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { disconnectDb } from '@/lib/db'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import { type CommandAck, type CommandEvent, EVENTS, type PlayerInfo, type PlayersListEvent, type RoomAck } from '@/lib/realtime/protocol'
import { publishCommand } from '@/lib/realtime/server'
import { applyCommand, createRoom, getRoom } from '@/lib/rooms'
import { collect, connect, createUser, createVideo, type Node, sleep, startNode, waitFor } from './harness'

describe('realtime server', () => {
  let node: Node
  let owner: { actor: Actor; token: string }
  let viewer: { actor: Actor; token: string }
  let admin: { actor: Actor; token: string }
  let videos: string[]
  const sockets: Socket[] = []
  const managers: CommandsManager[] = []

  const open = async (ns: '/player' | '/admin', token?: string) => {
    const s = await connect(node.url, ns, token)
    sockets.push(s)
    return s
  }
  const manager = async (token: string, clientId?: string) => {
    const m = new CommandsManager({ socket: await open('/player', token), clientId })
    managers.push(m)
    return m
  }

  beforeAll(async () => {
    node = await startNode()
    owner = await createUser()
    viewer = await createUser()
    admin = await createUser('ADMIN')
    videos = [(await createVideo(owner.actor.userId)).id, (await createVideo(owner.actor.userId)).id]
  })
  afterAll(async () => {
    for (const m of managers) m.close()
    for (const s of sockets) s.close()
    await node.close()
    await disconnectDb()
  })

  it('refuses connections without a valid actor, and /admin to non-admins', async () => {
    await expect(connect(node.url, '/player')).rejects.toThrow('UNAUTHENTICATED')
    await expect(connect(node.url, '/player', 'wrong')).rejects.toThrow('UNAUTHENTICATED')
    await expect(connect(node.url, '/admin', owner.token)).rejects.toMatchObject({
      message: 'FORBIDDEN',
      data: { code: 'FORBIDDEN' },
    })
    const ok = await open('/admin', admin.token)
    expect(ok.connected).toBe(true)
  })

  it('applies an authorised command and acks with timestamps; refuses others with an error ack, no state change, no broadcast', async () => {
    const room = await createRoom(owner.actor, { name: 'Auth' })
    const ownerSocket = await open('/player', owner.token)
    const viewerSocket = await open('/player', viewer.token)
    const watcher = await open('/player', viewer.token)
    for (const s of [ownerSocket, viewerSocket, watcher]) {
      const ack: RoomAck = await s.emitWithAck('room.join', { roomId: room.id })
      expect(ack.ok).toBe(true)
    }
    const seen = collect<CommandEvent>(watcher, 'command')

    const denied: CommandAck = await viewerSocket.emitWithAck('command', { type: 'play', roomId: room.id })
    expect(denied).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } })
    const invalid: CommandAck = await ownerSocket.emitWithAck('command', { type: 'seek', roomId: room.id, positionMs: -1 })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const garbage: CommandAck = await ownerSocket.emitWithAck('command', 'play everything')
    expect(garbage).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const unknown: CommandAck = await ownerSocket.emitWithAck('command', { type: 'play', roomId: 'no-such-room' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    await sleep(150)
    expect(seen).toEqual([])
    expect((await getRoom(owner.actor, room.id)).seq).toBe(0)

    const before = Date.now()
    const okAck: CommandAck = await ownerSocket.emitWithAck('command', { type: 'play', roomId: room.id })
    expect(okAck).toMatchObject({ ok: true, seq: 1 })
    if (!okAck.ok) throw new Error('unreachable')
    expect(okAck.serverReceivedAt).toBeGreaterThanOrEqual(before)
    expect(okAck.serverSentAt).toBeGreaterThanOrEqual(okAck.serverReceivedAt)
    await waitFor(() => seen.length === 1, 2000, 'broadcast')
    expect(seen[0]).toMatchObject({ type: 'play', roomId: room.id, seq: 1, state: { playing: true, seq: 1 } })
    expect(seen[0].serverTime).toBeGreaterThanOrEqual(okAck.serverReceivedAt)
  })

  it('refuses to join personal rooms of others and rooms that do not exist', async () => {
    const mine = await manager(owner.token, 'owner-tab-1')
    const personal = await mine.joinPersonal()
    const s = await open('/player', viewer.token)
    expect(await s.emitWithAck('room.join', { roomId: personal.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await s.emitWithAck('room.join', { roomId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await s.emitWithAck('room.join', { room: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })

  it('delivers 20 rapid commands complete and in seq order to two players', async () => {
    const room = await createRoom(owner.actor, { name: 'Burst' })
    const players = [await manager(viewer.token), await manager(viewer.token)]
    const applied: PlaybackDirective[][] = [[], []]
    for (const [i, p] of players.entries()) p.onCommand((d) => applied[i].push(d))
    const raw = players.map((p) => collect<CommandEvent>(p.socket, 'command'))
    for (const p of players) await p.join(room.id)
    const sender = await open('/player', owner.token)
    // Fire all 20 without waiting: the UPDATEs race in the database and may finish out of seq order.
    const acks: CommandAck[] = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sender.emitWithAck('command', { type: 'seek', roomId: room.id, positionMs: i * 100 })),
    )
    expect(acks.every((a) => a.ok)).toBe(true)
    await waitFor(() => applied.every((a) => a.length === 21), 5000, 'all commands')
    for (const [i, a] of applied.entries()) {
      expect(a[0].type).toBe('sync')
      expect(a.slice(1).map((d) => d.seq)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1))
      expect(new Set(raw[i].map((e) => e.seq)).size).toBe(20)
      expect(players[i].state(room.id)?.seq).toBe(20)
    }
  })

  it('reaches sockets from the REST path (applyCommand + publishCommand)', async () => {
    const room = await createRoom(owner.actor, { name: 'Rest' })
    const player = await manager(viewer.token)
    const seen: PlaybackDirective[] = []
    player.onCommand((d) => seen.push(d))
    await player.join(room.id)
    const result = await applyCommand(owner.actor, room.id, { type: 'playlist.load', roomId: room.id, videoIds: videos })
    const sent = publishCommand(result)
    expect(sent?.seq).toBe(1)
    await waitFor(() => seen.length === 2, 2000, 'REST command')
    expect(seen[1]).toMatchObject({ type: 'playlist.load', seq: 1, videoId: videos[0], state: { videoIds: videos } })
  })

  it('shows players to admins with their presence, and lets an admin command one player alone', async () => {
    const adminSocket = await open('/admin', admin.token)
    const updates = collect<PlayersListEvent>(adminSocket, 'players.update')
    const removals = collect<{ socketIds: string[] }>(adminSocket, 'players.remove')
    const a = await manager(owner.token, 'owner-tab-a')
    const b = await manager(owner.token, 'owner-tab-b')
    const roomA = await a.joinPersonal()
    await b.joinPersonal()
    const seenA: PlaybackDirective[] = []
    const seenB: PlaybackDirective[] = []
    a.onCommand((d) => seenA.push(d))
    b.onCommand((d) => seenB.push(d))

    a.socket.emit('presence', { roomId: roomA.id, videoId: null, positionMs: 1234, bufferedAheadMs: 8000, source: 'abr', playing: false })
    const find = () => updates.flatMap((u) => u.players).find((p) => p.socketId === a.socket.id && p.presence)
    await waitFor(() => !!find(), 3000, 'presence update')
    expect(find()).toMatchObject({
      userId: owner.actor.userId,
      clientId: 'owner-tab-a',
      personalRoomId: roomA.id,
      rooms: [roomA.id],
      presence: { positionMs: 1234, bufferedAheadMs: 8000, source: 'abr' },
    })
    const list: { ok: true; players: PlayerInfo[] } = await adminSocket.emitWithAck('players.list')
    expect(list.players.map((p) => p.socketId)).toEqual(expect.arrayContaining([a.socket.id, b.socket.id]))

    // A presence report for a room the socket did not join is refused.
    const bad = await a.socket.emitWithAck('presence', {
      roomId: 'elsewhere',
      videoId: null,
      positionMs: 0,
      bufferedAheadMs: 0,
      source: 'abr',
      playing: false,
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    const ack: CommandAck = await adminSocket.emitWithAck('command', { type: 'seek', roomId: roomA.id, positionMs: 42_000 })
    expect(ack.ok).toBe(true)
    await waitFor(() => seenA.some((d) => d.type === 'seek'), 2000, 'admin command')
    expect(seenA.find((d) => d.type === 'seek')?.positionMs).toBe(42_000)
    await sleep(100)
    expect(seenB).toEqual([])

    const id = b.socket.id
    b.socket.close()
    await waitFor(() => removals.some((r) => r.socketIds.includes(id!)), 3000, 'removal')
  })

  it('forwards per-user and admin events', async () => {
    const mine = await open('/player', owner.token)
    const theirs = await open('/player', viewer.token)
    const adminSocket = await open('/admin', admin.token)
    const got = collect<unknown>(mine, EVENTS.pipelineEvent)
    const notMine = collect<unknown>(theirs, EVENTS.pipelineEvent)
    const adminGot = collect<unknown>(adminSocket, EVENTS.pipelineEvent)
    node.realtime.emitToUser(owner.actor.userId, EVENTS.pipelineEvent, { sessionId: 's1', progress: 0.5 })
    node.realtime.emitToAdmins(EVENTS.pipelineEvent, { sessionId: 's1', progress: 0.5 })
    await waitFor(() => got.length === 1 && adminGot.length === 1, 2000, 'forwarded events')
    await sleep(50)
    expect(notMine).toEqual([])
  })

  it('rejoins after a reconnect and jumps to the state it missed', async () => {
    const room = await createRoom(owner.actor, { name: 'Flaky' })
    const s = await connect(node.url, '/player', viewer.token)
    s.io.reconnection(true)
    s.io.reconnectionDelay(50)
    s.io.reconnectionDelayMax(100)
    sockets.push(s)
    const player = new CommandsManager({ socket: s })
    managers.push(player)
    const seen: PlaybackDirective[] = []
    player.onCommand((d) => seen.push(d))
    await player.join(room.id)
    // Drop the transport (as a network failure would), then command while the player is away.
    s.io.engine.close()
    await waitFor(() => !s.connected, 2000, 'disconnect')
    await applyCommand(owner.actor, room.id, { type: 'seek', roomId: room.id, positionMs: 9000 })
    await applyCommand(owner.actor, room.id, { type: 'play', roomId: room.id })
    await waitFor(() => seen.some((d) => d.seq === 2), 5000, 'resync after reconnect')
    const last = seen.at(-1)!
    expect(last).toMatchObject({ type: 'sync', seq: 2, state: { playing: true, positionMs: 9000 } })
    expect(last.positionMs).toBeGreaterThanOrEqual(9000)
  })
})
