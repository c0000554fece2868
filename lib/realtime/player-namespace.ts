import type { RateLimiter } from '@/lib/api/rate-limit'
import { ensurePersonalRoom, getRoom, personalRoomId } from '@/lib/rooms'
import { ackOf, errorAck } from './acks'
import { type CommonHandlers, eventLimit, type PlayerNamespace, type PlayerSocket, readRoom } from './namespaces'
import { type PresenceBatch, playerInfo } from './presence'
import { EVENTS, invalidInput, memberReportSchema, type OkAck, personalRoomRequestSchema, presenceSchema, type RoomAck, roomRefSchema } from './protocol'
import { memberName, type TogetherRooms } from './together'

export const roomKey = (roomId: string) => `room:${roomId}`
export const userKey = (userId: string) => `user:${userId}`

/** `/player`: signed-in users' players join rooms, follow commands and report presence. */
export function servePlayers(
  players: PlayerNamespace,
  deps: { common: CommonHandlers; limiter: RateLimiter; batch: PresenceBatch; together: TogetherRooms },
): void {
  const { common, batch, together } = deps
  const touch = (socket: PlayerSocket) => batch.update(playerInfo(socket.id, socket.data))

  players.on('connection', (socket) => {
    socket.use(eventLimit(deps.limiter, socket.id))
    const data = socket.data
    Object.assign(data, { clientId: null, personalRoomId: null, rooms: [], connectedAt: Date.now(), presence: null })
    socket.join(userKey(data.actor.userId))
    touch(socket)

    const joinRoom = (roomId: string) => {
      socket.join(roomKey(roomId))
      if (!data.rooms.includes(roomId)) data.rooms.push(roomId)
      touch(socket)
    }
    const leaveRoom = (roomId: string) => {
      socket.leave(roomKey(roomId))
      data.rooms = data.rooms.filter((r) => r !== roomId)
      if (data.member?.roomId === roomId) data.member = null
      if (together.isTogether(roomId)) together.left(socket, roomId)
      touch(socket)
    }

    socket.on(EVENTS.command, (raw, ack) => common.command(data.actor, raw, ack))
    socket.on(EVENTS.clockPing, (raw, ack) => common.clockPing(raw, ack))
    socket.on(EVENTS.roomSync, (raw, ack) => common.roomSync(data.actor, raw, ack))

    socket.on(EVENTS.roomJoin, async (raw, ack) => {
      const reply = ackOf<RoomAck>(ack)
      const parsed = roomRefSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      try {
        // Authorise, join, then read the state again: a command applied between the two reads is
        // either in the state or broadcast to us after the join, never lost in between.
        await getRoom(data.actor, parsed.data.roomId)
        joinRoom(parsed.data.roomId)
        const state = await readRoom(common.rooms, data.actor, parsed.data.roomId).catch((err) => {
          leaveRoom(parsed.data.roomId)
          throw err
        })
        if (state.mode === 'together') {
          data.name ??= await memberName(data.actor)
          together.joined(state.id, { ownerId: state.ownerId, waitMs: state.waitMs })
        }
        reply({ ok: true, state })
      } catch (err) {
        reply(errorAck(err))
      }
    })

    socket.on(EVENTS.roomLeave, (raw, ack) => {
      const reply = ackOf<OkAck>(ack)
      const parsed = roomRefSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      leaveRoom(parsed.data.roomId)
      reply({ ok: true })
    })

    socket.on(EVENTS.roomPersonal, async (raw, ack) => {
      const reply = ackOf<RoomAck>(ack)
      const parsed = personalRoomRequestSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      try {
        // The id is derived from this user's id, so joining before the row exists leaks nothing and
        // no command can slip between the read and the join.
        const id = personalRoomId(data.actor.userId, parsed.data.clientId)
        joinRoom(id)
        const ensured = await ensurePersonalRoom(data.actor, parsed.data.clientId).catch((err) => {
          leaveRoom(id)
          throw err
        })
        // An admin's commands to it live in its owner node's memory until written back.
        const state = (await common.rooms.roomState(id).catch(() => null)) ?? ensured
        data.clientId = parsed.data.clientId
        data.personalRoomId = state.id
        touch(socket)
        reply({ ok: true, state })
      } catch (err) {
        reply(errorAck(err))
      }
    })

    // The protocol sends presence without an ack; one is honoured when a client asks for it.
    socket.on(EVENTS.presence, (raw: unknown, ack?: unknown) => {
      const reply = ackOf<OkAck>(ack)
      const parsed = presenceSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      // Reports only count for rooms this socket joined (a room it may see).
      if (!data.rooms.includes(parsed.data.roomId)) {
        return reply({ ok: false, error: { code: 'CONFLICT', message: 'Join the room first.' } })
      }
      data.presence = { ...parsed.data, receivedAt: Date.now() }
      touch(socket)
      reply({ ok: true })
    })

    socket.on(EVENTS.memberReport, (raw: unknown, ack?: unknown) => {
      const reply = ackOf<OkAck>(ack)
      const parsed = memberReportSchema.safeParse(raw)
      if (!parsed.success) return reply(invalidInput(parsed.error))
      if (!data.rooms.includes(parsed.data.roomId) || !together.isTogether(parsed.data.roomId)) {
        return reply({ ok: false, error: { code: 'CONFLICT', message: 'Join the together room first.' } })
      }
      together.report(socket, parsed.data)
      touch(socket)
      reply({ ok: true })
    })

    socket.on('disconnect', () => {
      batch.remove(socket.id)
      for (const roomId of data.rooms) if (together.isTogether(roomId)) together.left(socket, roomId)
    })
  })
}
