import { type ChildProcess, fork } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@/lib/auth/actor'
import { disconnectDb } from '@/lib/db'
import { CommandsManager, type PlaybackDirective } from '@/lib/realtime/commands-manager'
import { forwardUpgrades } from '@/lib/realtime/handoff'
import { type CommandAck, EVENTS } from '@/lib/realtime/protocol'
import { emitToUser, getRealtime, publishCommand } from '@/lib/realtime/server'
import { applyCommand, createRoom } from '@/lib/rooms'
import { collect, connect, createUser, waitFor } from './harness'

// The isolated layout: this process is the web process (http server, no socket.io); a child runs
// socket.io on the WebSocket connections handed to it, and publishes go over IPC.

describe('socket.io in its own process behind the web port', () => {
  let child: ChildProcess
  let httpServer: http.Server
  let url: string
  let owner: { actor: Actor; token: string }
  let viewer: { actor: Actor; token: string }
  const sockets: Socket[] = []

  beforeAll(async () => {
    owner = await createUser()
    viewer = await createUser()
    child = fork(new URL('./fixtures/realtime-child.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        TEST_ACTORS: JSON.stringify([
          [owner.token, owner.actor],
          [viewer.token, viewer.actor],
        ]),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('exit', (code) => reject(new Error(`realtime child exited ${code}`)))
    })
    httpServer = http.createServer((_req, res) => res.end('web'))
    forwardUpgrades(httpServer, child)
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    child?.kill()
    await new Promise((r) => httpServer?.close(r))
    await disconnectDb()
  })

  it('serves WebSocket clients through the hand-off, commands included', async () => {
    const room = await createRoom(owner.actor, { name: 'Isolated' })
    const player = new CommandsManager({ socket: await connect(url, '/player', viewer.token) })
    sockets.push(player.socket)
    const seen: PlaybackDirective[] = []
    player.onCommand((d) => seen.push(d))
    await player.join(room.id)
    const sender = await connect(url, '/player', owner.token)
    sockets.push(sender)
    const ack: CommandAck = await sender.emitWithAck('command', { type: 'seek', roomId: room.id, positionMs: 1000 })
    expect(ack).toMatchObject({ ok: true, seq: 1 })
    await waitFor(() => seen.length === 2, 5000, 'command through the hand-off')
    expect(seen[1]).toMatchObject({ type: 'seek', seq: 1, positionMs: 1000 })
    // The web process lists the child's players (the admin overview does this).
    const players = await getRealtime()!.listPlayers()
    expect(players.map((p) => p.socketId)).toContain(player.socket.id)
    player.close()
  })

  it('refuses unauthenticated clients in the child', async () => {
    await expect(connect(url, '/player', 'nobody')).rejects.toThrow('UNAUTHENTICATED')
  })

  it('publishes REST commands and user events from the web process over IPC', async () => {
    const room = await createRoom(owner.actor, { name: 'Rest' })
    const player = new CommandsManager({ socket: await connect(url, '/player', owner.token) })
    sockets.push(player.socket)
    const seen: PlaybackDirective[] = []
    player.onCommand((d) => seen.push(d))
    await player.join(room.id)
    const progress = collect<unknown>(player.socket, EVENTS.pipelineEvent)
    publishCommand(await applyCommand(owner.actor, room.id, { type: 'play', roomId: room.id }))
    emitToUser(owner.actor.userId, EVENTS.pipelineEvent, { progress: 0.25 })
    await waitFor(() => seen.length === 2 && progress.length === 1, 5000, 'IPC publish')
    expect(seen[1]).toMatchObject({ type: 'play', seq: 1, state: { playing: true } })
    player.close()
  })
})
