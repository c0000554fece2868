import type { Socket } from 'socket.io-client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { db, disconnectDb } from '@/lib/db'
import type { CommandEvent, MemberReport, RoomMembersEvent } from '@/lib/realtime/protocol'
import { listRoomMembers } from '@/lib/realtime/server'
import { applyCommand, createRoom, getRoom, listRooms } from '@/lib/rooms'
import { actorFromGuestToken } from '@/lib/auth/guest'
import { joinAsGuest, joinRoom, revokeInvite, rotateInvite } from '@/lib/rooms/together'
import { collect, connect, createUser, createVideo, type Node, startNode, waitFor } from './harness'

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => (e instanceof ZodError ? 'ZOD' : (e.code ?? String(e))),
  )

const inviteOf = (joinUrl: string | null) => new URL(joinUrl ?? '', 'http://x').searchParams.get('invite') ?? ''

describe('together rooms', () => {
  let owner: Actor
  let member: Actor
  let stranger: Actor
  let admin: Actor
  let video: string

  beforeAll(async () => {
    owner = (await createUser()).actor
    member = (await createUser()).actor
    stranger = (await createUser()).actor
    admin = (await createUser('ADMIN')).actor
    video = (await createVideo(owner.userId)).id
  })
  afterAll(disconnectDb)

  it('creates a together room with an invite link; remote stays the default and takes no together options', async () => {
    const room = await createRoom(owner, { name: 'Film night', mode: 'together', control: 'host' })
    expect(room).toMatchObject({ mode: 'together', control: 'host', guests: false, waitMs: 3000 })
    expect(room.joinUrl).toMatch(new RegExp(`^/watch/${room.id}\\?invite=[A-Za-z0-9_-]{20,}$`))
    const remote = await createRoom(owner, { name: 'Signage' })
    expect(remote).toMatchObject({ mode: 'remote', joinUrl: null })
    expect(await code(createRoom(owner, { name: 'x', guests: true }))).toBe('ZOD')
    expect(await code(createRoom(owner, { name: 'x', mode: 'together', waitMs: -1 }))).toBe('ZOD')
    expect(await code(createRoom(owner, { name: 'x', mode: 'together', waitMs: 60_000 }))).toBe('ZOD')
    expect(await code(createRoom(owner, { name: 'x', mode: 'party' as 'remote' }))).toBe('ZOD')
    // The owner's list shows the link; nobody else gets it.
    expect((await listRooms(owner)).find((r) => r.id === room.id)?.joinUrl).toBe(room.joinUrl)
    expect((await getRoom(admin, room.id)).joinUrl).toBe(room.joinUrl)
  })

  it('admits members with the invite only, keeps them after a revoke, and lets a rotated link replace the old one', async () => {
    const room = await createRoom(owner, { name: 'Invite only', mode: 'together' })
    const invite = inviteOf(room.joinUrl)
    expect(await code(getRoom(stranger, room.id))).toBe('NOT_FOUND')
    expect(await code(joinRoom(stranger, room.id, { invite: 'wrong' }))).toBe('FORBIDDEN')
    expect(await code(joinRoom(stranger, room.id, { invite: '' }))).toBe('ZOD')
    expect(await code(joinRoom(stranger, 'no-such-room', { invite }))).toBe('NOT_FOUND')
    await joinRoom(member, room.id, { invite })
    await joinRoom(member, room.id, { invite }) // idempotent
    const seen = await getRoom(member, room.id)
    expect(seen.id).toBe(room.id)
    expect(seen.joinUrl).toBeNull()

    // Only the owner (and admins) manage the invite.
    expect(await code(rotateInvite(member, room.id))).toBe('FORBIDDEN')
    expect(await code(revokeInvite(stranger, room.id))).toBe('NOT_FOUND')
    await revokeInvite(owner, room.id)
    expect((await getRoom(owner, room.id)).joinUrl).toBeNull()
    expect(await code(joinRoom(stranger, room.id, { invite }))).toBe('FORBIDDEN')
    expect((await getRoom(member, room.id)).id).toBe(room.id)

    const rotated = await rotateInvite(owner, room.id)
    expect(inviteOf(rotated.joinUrl)).not.toBe(invite)
    expect(await code(joinRoom(stranger, room.id, { invite }))).toBe('FORBIDDEN')
    await joinRoom(stranger, room.id, { invite: inviteOf(rotated.joinUrl) })
    expect((await getRoom(stranger, room.id)).id).toBe(room.id)
  })

  it("lets members command by the room's control rule, including the new rate command", async () => {
    const host = await createRoom(owner, { name: 'Host controls', mode: 'together', control: 'host' })
    const everyone = await createRoom(owner, { name: 'Everyone controls', mode: 'together', control: 'everyone' })
    for (const r of [host, everyone]) await joinRoom(member, r.id, { invite: inviteOf(r.joinUrl) })
    await applyCommand(owner, host.id, { type: 'playlist.load', roomId: host.id, videoIds: [video] })

    expect(await code(applyCommand(member, host.id, { type: 'play', roomId: host.id }))).toBe('FORBIDDEN')
    expect(await code(applyCommand(stranger, host.id, { type: 'play', roomId: host.id }))).toBe('NOT_FOUND')
    expect((await getRoom(owner, host.id)).playing).toBe(false)

    const played = await applyCommand(member, everyone.id, { type: 'play', roomId: everyone.id })
    expect(played.state.playing).toBe(true)
    const rated = await applyCommand(member, everyone.id, { type: 'rate', roomId: everyone.id, rate: 1.5 })
    expect(rated.state.rate).toBe(1.5)
    expect(rated.seq).toBe(played.seq + 1)
    expect(await code(applyCommand(member, everyone.id, { type: 'rate', roomId: everyone.id, rate: 10 }))).toBe('ZOD')
    expect(await code(applyCommand(stranger, everyone.id, { type: 'pause', roomId: everyone.id }))).toBe('NOT_FOUND')
  })

  it('lets anonymous viewers in as guests only where the room admits them; guests watch that room and command nothing', async () => {
    const open = await createRoom(owner, { name: 'Open house', mode: 'together', guests: true, control: 'everyone' })
    const closed = await createRoom(owner, { name: 'Members only', mode: 'together' })
    const remote = await createRoom(owner, { name: 'Signage' })
    expect(await code(joinAsGuest(closed.id, { invite: inviteOf(closed.joinUrl) }))).toBe('UNAUTHENTICATED')
    expect(await code(joinAsGuest(remote.id, { invite: 'x' }))).toBe('UNAUTHENTICATED')
    expect(await code(joinAsGuest(open.id, { invite: 'wrong' }))).toBe('FORBIDDEN')
    const pass = await joinAsGuest(open.id, { invite: inviteOf(open.joinUrl) })
    expect(pass.name).toMatch(/^Guest /)
    const guest = await actorFromGuestToken(pass.guestToken)
    expect(guest).toMatchObject({ via: 'guest', guestRoomId: open.id, scopes: ['read'] })
    if (!guest) throw new Error('no guest actor')
    expect((await getRoom(guest, open.id)).id).toBe(open.id)
    expect(await code(getRoom(guest, closed.id))).toBe('NOT_FOUND')
    expect(await code(getRoom(guest, remote.id))).toBe('NOT_FOUND')
    // Even where everyone commands, a guest only watches.
    expect(await code(applyCommand(guest, open.id, { type: 'play', roomId: open.id }))).toBe('FORBIDDEN')
    expect(await actorFromGuestToken(`${pass.guestToken.slice(0, -3)}abc`)).toBeNull()
    expect(await actorFromGuestToken('not.a.token')).toBeNull()
  })

  describe('members and waiting over sockets', () => {
    let node: Node
    const open: Socket[] = []
    const tokens: Record<string, string> = {}
    const users: Record<string, Actor> = {}

    beforeAll(async () => {
      node = await startNode()
      for (const name of ['host', 'ann', 'bob']) {
        const u = await createUser()
        users[name] = u.actor
        tokens[name] = u.token
      }
      await db.user.update({ where: { id: users.ann.userId }, data: { name: 'Ann' } })
    })
    afterEach(() => {
      for (const s of open.splice(0)) s.close()
    })
    afterAll(async () => {
      await node.close()
    })

    async function party(waitMs: number) {
      const room = await createRoom(users.host, { name: 'Party', mode: 'together', waitMs })
      const v = await createVideo(users.host.userId)
      await applyCommand(users.host, room.id, { type: 'playlist.load', roomId: room.id, videoIds: [v.id] })
      const sockets: Record<string, Socket> = {}
      for (const name of ['host', 'ann', 'bob']) {
        if (name !== 'host') await joinRoom(users[name], room.id, { invite: inviteOf(room.joinUrl) })
        const s = await connect(node.url, '/player', tokens[name])
        open.push(s)
        const ack = await s.emitWithAck('room.join', { roomId: room.id })
        expect(ack.ok).toBe(true)
        sockets[name] = s
      }
      const seen = collect<CommandEvent>(sockets.host, 'command')
      await applyCommand(users.host, room.id, { type: 'play', roomId: room.id }).then((r) => node.realtime.publishCommand(r))
      // Delivered before the test starts collecting, so its own events are the only ones it sees.
      await waitFor(() => seen.length === 1, 5000, 'the first play')
      return { room, sockets }
    }

    const report = (s: Socket, r: Partial<MemberReport> & { roomId: string }) =>
      s.emitWithAck('member.report', { state: 'playing', positionMs: 1000, driftMs: 0, rttMs: 2, seq: 0, ...r })

    it('lists members with their reported state and drift, live and through the REST read', async () => {
      const { room, sockets } = await party(3000)
      const lists = collect<RoomMembersEvent>(sockets.host, 'room.members')
      expect(await report(sockets.ann, { roomId: room.id, driftMs: 12.5, rttMs: 3, seq: 5 })).toEqual({ ok: true })
      await waitFor(() => lists.some((e) => e.members.find((m) => m.name === 'Ann')?.driftMs === 12.5), 5000, 'Ann in the list')
      const last = lists.at(-1) as RoomMembersEvent
      expect(last.members.map((m) => m.userId).sort()).toEqual([users.host.userId, users.ann.userId, users.bob.userId].sort())
      expect(last.members.find((m) => m.name === 'Ann')).toMatchObject({ state: 'playing', rttMs: 3, seq: 5 })
      const members = await listRoomMembers(room.id)
      expect(members.find((m) => m.userId === users.ann.userId)).toMatchObject({ name: 'Ann', driftMs: 12.5 })
      // Bad reports are refused with an error ack, and reports for rooms not joined too.
      expect((await report(sockets.ann, { roomId: room.id, state: 'dancing' as 'playing' })).ok).toBe(false)
      expect((await report(sockets.ann, { roomId: 'elsewhere' })).ok).toBe(false)
    })

    it('waits at most waitMs for a stalled member, then everyone continues; it cannot make the room wait again until back in step', async () => {
      const { room, sockets } = await party(800)
      const events = collect<CommandEvent>(sockets.host, 'command')
      const lists = collect<RoomMembersEvent>(sockets.host, 'room.members')
      await report(sockets.ann, { roomId: room.id, state: 'playing' })
      await report(sockets.ann, { roomId: room.id, state: 'buffering', stall: true })
      await waitFor(() => events.some((e) => e.type === 'pause'), 5000, 'the wait to pause the room')
      await waitFor(() => lists.some((e) => e.hold?.userId === users.ann.userId), 5000, 'the hold in the member list')
      // Ann never becomes ready: the room goes on by itself.
      await waitFor(() => events.some((e) => e.type === 'play'), 5000, 'the room to continue')
      const pause = events.find((e) => e.type === 'pause') as CommandEvent
      const play = events.find((e) => e.type === 'play') as CommandEvent
      expect(play.serverTime - pause.serverTime).toBeGreaterThanOrEqual(700)
      expect((await getRoom(users.host, room.id)).playing).toBe(true)
      await waitFor(() => lists.at(-1)?.hold === null, 5000, 'the hold to end')

      // Still stalled, or stalling again before catching up: nobody waits for her any more.
      await report(sockets.ann, { roomId: room.id, state: 'playing', driftMs: -2500 })
      await report(sockets.ann, { roomId: room.id, state: 'buffering', stall: true })
      await new Promise((r) => setTimeout(r, 300))
      expect(events.filter((e) => e.type === 'pause')).toHaveLength(1)

      // Back in step, a stall makes the room wait again, and her being ready ends it at once.
      await report(sockets.ann, { roomId: room.id, state: 'playing', driftMs: 8 })
      await report(sockets.ann, { roomId: room.id, state: 'buffering', stall: true })
      await waitFor(() => events.filter((e) => e.type === 'pause').length === 2, 5000, 'a second wait')
      await report(sockets.ann, { roomId: room.id, state: 'waiting' })
      await waitFor(() => events.filter((e) => e.type === 'play').length === 2, 5000, 'resume when ready')
    })

    it('never waits for a member that has not played yet, nor resumes a room someone paused meanwhile', async () => {
      const { room, sockets } = await party(600)
      const events = collect<CommandEvent>(sockets.host, 'command')
      await report(sockets.bob, { roomId: room.id, state: 'buffering', stall: true })
      // Buffering after a seek or while loading is no stall: nobody waits for it either.
      await report(sockets.ann, { roomId: room.id, state: 'playing' })
      await report(sockets.ann, { roomId: room.id, state: 'buffering' })
      await new Promise((r) => setTimeout(r, 300))
      expect(events.filter((e) => e.type === 'pause')).toHaveLength(0)

      await report(sockets.ann, { roomId: room.id, state: 'playing' })
      await report(sockets.ann, { roomId: room.id, state: 'buffering', stall: true })
      await waitFor(() => events.some((e) => e.type === 'pause'), 5000, 'the wait')
      // The host seeks while the room waits: the room is the host's again, the wait does not resume it.
      const ack = await sockets.host.emitWithAck('command', { type: 'seek', roomId: room.id, positionMs: 5000 })
      expect(ack.ok).toBe(true)
      await new Promise((r) => setTimeout(r, 900))
      expect(events.filter((e) => e.type === 'play')).toHaveLength(0)
      expect((await getRoom(users.host, room.id)).playing).toBe(false)
    })

    it('a member that disconnects mid-wait releases the room', async () => {
      const { room, sockets } = await party(5000)
      const events = collect<CommandEvent>(sockets.host, 'command')
      await report(sockets.ann, { roomId: room.id, state: 'playing' })
      await report(sockets.ann, { roomId: room.id, state: 'buffering', stall: true })
      await waitFor(() => events.some((e) => e.type === 'pause'), 5000, 'the wait')
      sockets.ann.close()
      await waitFor(() => events.some((e) => e.type === 'play'), 3000, 'resume on disconnect')
    })
  })
})
