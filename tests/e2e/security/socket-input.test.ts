import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '@/lib/auth/users'
import { disconnectDb } from '@/lib/db'
import { connectPlayerSocket } from '@/lib/realtime/connect'
import { EVENT_RATE } from '@/lib/realtime/server'
import { base, userWithKey } from '../api/client'
import { signInCookie } from './http'

// The command layer under hostile input: a NUL is a validation error (not INTERNAL), a flood of
// events from one socket is cut off per socket, and another site's page cannot open a socket with
// a visitor's cookie.

type Ack = { ok: boolean; error?: { code: string } }

const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve())
    s.once('connect_error', reject)
  })
const refused = (s: Socket) =>
  new Promise<{ code?: string }>((resolve, reject) => {
    s.once('connect', () => reject(new Error('connected')))
    s.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data ?? {}))
  })

describe('socket events', () => {
  let key: string
  const sockets: Socket[] = []
  const open = (opts: Parameters<typeof connectPlayerSocket>[1]) => {
    const s = connectPlayerSocket(base(), { forceNew: true, reconnection: false, transports: ['websocket'], ...opts })
    sockets.push(s)
    return s
  }

  beforeAll(async () => {
    ;({ key } = await userWithKey())
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    await disconnectDb()
  })

  it('answers a NUL in an id with INVALID_INPUT', async () => {
    const s = open({ token: key })
    await connected(s)
    for (const [event, payload] of [
      ['command', { type: 'play', roomId: 'x\u0000' }],
      ['room.join', { roomId: '\u0000' }],
      ['room.sync', { roomId: '\u0000' }],
      ['command', { type: 'playlist.load', roomId: 'r', videoIds: ['\u0000'] }],
    ] as const) {
      const ack = (await s.timeout(15_000).emitWithAck(event, payload)) as Ack
      expect(ack.ok, event).toBe(false)
      expect(ack.error?.code, event).toBe('INVALID_INPUT')
    }
  })

  it('drops a flood of events from one socket with RATE_LIMITED, and serves it again later', async () => {
    const flooder = open({ token: key })
    const bystander = open({ token: key })
    await Promise.all([connected(flooder), connected(bystander)])
    const acks = (await Promise.all(
      Array.from({ length: EVENT_RATE.burst * 3 }, () => flooder.timeout(30_000).emitWithAck('room.leave', { roomId: 'nowhere' })),
    )) as Ack[]
    const limited = acks.filter((a) => a.error?.code === 'RATE_LIMITED').length
    expect(limited).toBeGreaterThan(EVENT_RATE.burst)
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(EVENT_RATE.burst)
    // Another socket of the same user has its own budget.
    expect(((await bystander.timeout(15_000).emitWithAck('room.leave', { roomId: 'nowhere' })) as Ack).ok).toBe(true)
    // The bucket refills: the flooder is served again once it slows down.
    await new Promise((r) => setTimeout(r, 200))
    expect(((await flooder.timeout(15_000).emitWithAck('room.leave', { roomId: 'nowhere' })) as Ack).ok).toBe(true)
  })

  it("refuses a cookie-authenticated socket opened from another site's page", async () => {
    const email = `socket-${Date.now()}@cross-site.test`
    await createUser({ email, password: 'password-123' })
    const cookie = await signInCookie(email, 'password-123')
    for (const transport of ['websocket', 'polling'] as const) {
      const foreign = open({ transports: [transport], extraHeaders: { cookie, origin: 'https://evil.example' } })
      expect((await refused(foreign)).code, transport).toBe('FORBIDDEN')
      const own = open({ transports: [transport], extraHeaders: { cookie, origin: base() } })
      await connected(own)
    }
  })
})
