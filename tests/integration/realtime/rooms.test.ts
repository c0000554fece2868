import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import type { Actor } from '@/lib/auth/actor'
import { db, disconnectDb } from '@/lib/db'
import {
  applyCommand,
  createPlaylist,
  createRoom,
  deletePlaylist,
  ensurePersonalRoom,
  getPlaylist,
  getRoom,
  listPlaylists,
  listRooms,
  updatePlaylist,
} from '@/lib/rooms'
import { createUser, createVideo } from './harness'

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? String(e),
  )

describe('rooms', () => {
  let owner: Actor
  let other: Actor
  let admin: Actor
  let videos: string[]

  beforeAll(async () => {
    owner = (await createUser()).actor
    other = (await createUser()).actor
    admin = (await createUser('ADMIN')).actor
    videos = []
    for (let i = 0; i < 3; i++) videos.push((await createVideo(owner.userId)).id)
  })
  afterAll(disconnectDb)

  it('creates a room and lets the owner, admins and other users see it; personal rooms stay private', async () => {
    const room = await createRoom(owner, { name: 'Lobby' })
    expect(room).toMatchObject({ name: 'Lobby', seq: 0, playing: false, videoIds: [], ownerId: owner.userId })
    expect((await getRoom(other, room.id)).id).toBe(room.id)
    expect((await getRoom(admin, room.id)).id).toBe(room.id)
    const personal = await ensurePersonalRoom(owner, 'tab-0000001')
    expect(await code(getRoom(other, personal.id))).toBe('NOT_FOUND')
    expect((await getRoom(admin, personal.id)).id).toBe(personal.id)
    expect(await code(getRoom(owner, 'nope'))).toBe('NOT_FOUND')
    expect((await listRooms(owner)).map((r) => r.id)).toContain(room.id)
    expect((await listRooms(owner)).map((r) => r.id)).not.toContain(personal.id)
    expect((await listRooms(owner, { personal: 'true' })).map((r) => r.id)).toContain(personal.id)
  })

  it('reuses the personal room of a client id, keeping its state', async () => {
    const a = await ensurePersonalRoom(owner, 'tab-0000002')
    await applyCommand(owner, a.id, { type: 'playlist.load', roomId: a.id, videoIds: videos })
    const b = await ensurePersonalRoom(owner, 'tab-0000002')
    expect(b.id).toBe(a.id)
    expect(b.videoIds).toEqual(videos)
    expect((await ensurePersonalRoom(other, 'tab-0000002')).id).not.toBe(a.id)
    await expect(ensurePersonalRoom(owner, 'bad id!')).rejects.toBeInstanceOf(ZodError)
  })

  it('authorises commands: owner and admin yes, others FORBIDDEN, unknown NOT_FOUND', async () => {
    const room = await createRoom(owner, { name: 'Auth' })
    expect(await code(applyCommand(other, room.id, { type: 'play', roomId: room.id }))).toBe('FORBIDDEN')
    expect(await code(applyCommand(owner, 'missing', { type: 'play', roomId: 'missing' }))).toBe('NOT_FOUND')
    const personal = await ensurePersonalRoom(owner, 'tab-0000003')
    expect(await code(applyCommand(other, personal.id, { type: 'play', roomId: personal.id }))).toBe('NOT_FOUND')
    expect((await applyCommand(owner, room.id, { type: 'play', roomId: room.id })).seq).toBe(1)
    expect((await applyCommand(admin, room.id, { type: 'pause', roomId: room.id })).seq).toBe(2)
    expect((await getRoom(owner, room.id)).seq).toBe(2)
    // An API key without "write" may not command even its own room.
    const readOnly: Actor = { ...owner, via: 'apiKey', scopes: ['read'] }
    expect(await code(applyCommand(readOnly, room.id, { type: 'play', roomId: room.id }))).toBe('FORBIDDEN')
    // An admin's API key without the admin scope is a plain user.
    const adminKey: Actor = { ...admin, via: 'apiKey', scopes: ['read', 'write'] }
    expect(await code(applyCommand(adminKey, room.id, { type: 'play', roomId: room.id }))).toBe('FORBIDDEN')
  })

  it('moves the playback state as each command says', async () => {
    const room = await createRoom(owner, { name: 'State' })
    const r = room.id
    expect(await code(applyCommand(owner, r, { type: 'next', roomId: r }))).toBe('CONFLICT')
    let s = (await applyCommand(owner, r, { type: 'playlist.load', roomId: r, videoIds: videos, startIndex: 1 })).state
    expect(s).toMatchObject({ videoIds: videos, currentIndex: 1, positionMs: 0, seq: 1 })
    s = (await applyCommand(owner, r, { type: 'seek', roomId: r, positionMs: 5000 })).state
    expect(s).toMatchObject({ positionMs: 5000, playing: false })
    s = (await applyCommand(owner, r, { type: 'play', roomId: r })).state
    expect(s).toMatchObject({ positionMs: 5000, playing: true })
    const playedAt = s.updatedAt
    await new Promise((res) => setTimeout(res, 120))
    s = (await applyCommand(owner, r, { type: 'pause', roomId: r })).state
    // Paused where playback had got to.
    expect(s.playing).toBe(false)
    expect(s.positionMs).toBeGreaterThanOrEqual(5000 + (s.updatedAt - playedAt) - 2)
    expect(s.positionMs).toBeLessThan(5000 + 1000)
    s = (await applyCommand(owner, r, { type: 'next', roomId: r })).state
    expect(s).toMatchObject({ currentIndex: 2, positionMs: 0 })
    s = (await applyCommand(owner, r, { type: 'seek', roomId: r, positionMs: 700 })).state
    s = (await applyCommand(owner, r, { type: 'next', roomId: r })).state
    expect(s).toMatchObject({ currentIndex: 2, positionMs: 700 }) // already last: stays
    s = (await applyCommand(owner, r, { type: 'select', roomId: r, index: 0 })).state
    expect(s).toMatchObject({ currentIndex: 0, positionMs: 0 })
    s = (await applyCommand(owner, r, { type: 'prev', roomId: r })).state
    expect(s).toMatchObject({ currentIndex: 0, positionMs: 0 })
    expect(await code(applyCommand(owner, r, { type: 'select', roomId: r, index: 3 }))).toBe('CONFLICT')
    expect((await getRoom(owner, r)).seq).toBe(s.seq)
  })

  it('loads only videos the commander may see', async () => {
    const room = await createRoom(other, { name: 'Private' })
    const privateOfOwner = await createVideo(owner.userId, 'PRIVATE')
    const unlisted = await createVideo(owner.userId, 'UNLISTED')
    expect(await code(applyCommand(other, room.id, { type: 'playlist.load', roomId: room.id, videoIds: [privateOfOwner.id] }))).toBe('NOT_FOUND')
    expect(await code(applyCommand(other, room.id, { type: 'playlist.load', roomId: room.id, videoIds: ['nope'] }))).toBe('NOT_FOUND')
    const ok = await applyCommand(other, room.id, { type: 'playlist.load', roomId: room.id, videoIds: [unlisted.id] })
    expect(ok.state.videoIds).toEqual([unlisted.id])
    // Admins may load anything.
    const s = await applyCommand(admin, room.id, { type: 'playlist.load', roomId: room.id, videoIds: [privateOfOwner.id] })
    expect(s.state.videoIds).toEqual([privateOfOwner.id])
    expect((await getRoom(other, room.id)).seq).toBe(2)
  })

  it('assigns 20 concurrent commands 20 distinct consecutive seqs, none lost', async () => {
    const room = await createRoom(owner, { name: 'Race' })
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => applyCommand(owner, room.id, { type: 'seek', roomId: room.id, positionMs: i })))
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const final = await getRoom(owner, room.id)
    expect(final.seq).toBe(20)
    // The row holds the command with the highest seq.
    const last = results.find((r) => r.seq === 20)!
    expect(final.positionMs).toBe((last.command as { positionMs: number }).positionMs)
  })
})

describe('playlists', () => {
  let owner: Actor
  let other: Actor
  let admin: Actor

  beforeAll(async () => {
    owner = (await createUser()).actor
    other = (await createUser()).actor
    admin = (await createUser('ADMIN')).actor
  })
  afterAll(disconnectDb)

  it('keeps order, hides videos the caller may not see, and belongs to its owner', async () => {
    const pub = await createVideo(owner.userId, 'PUBLIC')
    const priv = await createVideo(owner.userId, 'PRIVATE')
    const othersPrivate = await createVideo(other.userId, 'PRIVATE')
    expect(await code(createPlaylist(owner, { name: 'x', videoIds: [othersPrivate.id] }))).toBe('NOT_FOUND')

    const p = await createPlaylist(owner, { name: 'Mine', videoIds: [priv.id, pub.id, priv.id] })
    expect(p.items.map((i) => i.videoId)).toEqual([priv.id, pub.id, priv.id])
    expect(await code(getPlaylist(other, p.id))).toBe('NOT_FOUND')
    expect((await getPlaylist(admin, p.id)).items).toHaveLength(3)
    expect((await listPlaylists(owner)).map((x) => x.id)).toContain(p.id)
    expect((await listPlaylists(other)).map((x) => x.id)).not.toContain(p.id)
    expect(await code(listPlaylists(other, { all: true }))).toBe('FORBIDDEN')
    expect((await listPlaylists(admin, { all: 'true' })).map((x) => x.id)).toContain(p.id)

    const u = await updatePlaylist(owner, p.id, { name: 'Renamed', videoIds: [pub.id] })
    expect(u).toMatchObject({ name: 'Renamed' })
    expect(u.items.map((i) => i.videoId)).toEqual([pub.id])
    expect(await code(updatePlaylist(other, p.id, { name: 'Mine now' }))).toBe('NOT_FOUND')

    // Loading by playlist id puts the visible items in order; the room's owner must be able to see the playlist.
    await updatePlaylist(owner, p.id, { videoIds: [pub.id, priv.id] })
    const room = await createRoom(owner, { name: 'Pl' })
    const loaded = await applyCommand(owner, room.id, { type: 'playlist.load', roomId: room.id, playlistId: p.id })
    expect(loaded.state.videoIds).toEqual([pub.id, priv.id])
    expect(loaded.command).toEqual({ type: 'playlist.load', roomId: room.id, playlistId: p.id })
    const otherRoom = await createRoom(other, { name: 'Theirs' })
    expect(await code(applyCommand(other, otherRoom.id, { type: 'playlist.load', roomId: otherRoom.id, playlistId: p.id }))).toBe('NOT_FOUND')

    // A video made private by its owner drops out of others' view (here: the admin still sees it).
    await db.video.update({ where: { id: pub.id }, data: { visibility: 'PRIVATE' } })
    expect((await getPlaylist(owner, p.id)).items).toHaveLength(2)

    await deletePlaylist(owner, p.id)
    expect(await code(getPlaylist(owner, p.id))).toBe('NOT_FOUND')
  })

  it('survives concurrent replacements of the same playlist', async () => {
    const vids = [await createVideo(owner.userId), await createVideo(owner.userId)]
    const p = await createPlaylist(owner, { name: 'Busy' })
    await Promise.all(Array.from({ length: 8 }, (_, i) => updatePlaylist(owner, p.id, { videoIds: i % 2 ? [vids[0].id, vids[1].id] : [vids[1].id] })))
    const items = (await getPlaylist(owner, p.id)).items
    expect([1, 2]).toContain(items.length)
    expect(items.map((i) => i.position)).toEqual(items.map((_, i) => i))
  })
})
