import type { Actor } from '@/lib/auth/actor'
import { isAdmin } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { requireRead, requireWrite, visibleVideoWhere } from './access'
import {
  type CreatePlaylistInput,
  createPlaylistInput,
  type ListPlaylistsInput,
  listPlaylistsInput,
  type UpdatePlaylistInput,
  updatePlaylistInput,
} from './schemas'

// Playlists are private to their owner (admins see all). Their items are the ordered videos the
// caller may see: public and unlisted videos, the caller's own, or any for admins. A video that
// became private to someone else drops out of the caller's view without being removed.

export interface PlaylistItemView {
  position: number
  videoId: string
  title: string
  visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE'
}
export interface PlaylistView {
  id: string
  ownerId: string
  name: string
  createdAt: string
  updatedAt: string
  items: PlaylistItemView[]
}
export interface PlaylistSummary {
  id: string
  ownerId: string
  name: string
  itemCount: number
  updatedAt: string
}

/** The playlist row when the actor may see it, else NOT_FOUND (no hint that it exists). */
async function ownedPlaylist(actor: Actor, id: string) {
  const playlist = await db.playlist.findUnique({ where: { id } })
  if (!playlist || (playlist.ownerId !== actor.userId && !isAdmin(actor))) {
    throw new AppError('NOT_FOUND', 'No such playlist.')
  }
  return playlist
}

/** Throws unless every id names a video the actor may see, so nobody can list what they cannot watch. */
async function assertVisibleVideos(actor: Actor, videoIds: string[]): Promise<void> {
  const unique = [...new Set(videoIds)]
  if (unique.length === 0) return
  const found = await db.video.findMany({
    where: { id: { in: unique }, ...visibleVideoWhere(actor) },
    select: { id: true },
  })
  if (found.length !== unique.length) {
    const have = new Set(found.map((v) => v.id))
    const missing = unique.filter((v) => !have.has(v))
    throw new AppError('NOT_FOUND', `Unknown video${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 5).join(', ')}`, {
      videoIds: missing,
    })
  }
}

/** The ordered items of a playlist that the actor may see. */
async function visibleItems(actor: Actor, playlistId: string): Promise<PlaylistItemView[]> {
  const items = await db.playlistItem.findMany({
    where: { playlistId, video: visibleVideoWhere(actor) },
    orderBy: { position: 'asc' },
    select: { position: true, videoId: true, video: { select: { title: true, visibility: true } } },
  })
  return items.map((i) => ({ position: i.position, videoId: i.videoId, title: i.video.title, visibility: i.video.visibility }))
}

const toView = (p: { id: string; ownerId: string; name: string; createdAt: Date; updatedAt: Date }, items: PlaylistItemView[]): PlaylistView => ({
  id: p.id,
  ownerId: p.ownerId,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  items,
})

export async function createPlaylist(actor: Actor, input: CreatePlaylistInput): Promise<PlaylistView> {
  requireWrite(actor)
  const { name, videoIds } = createPlaylistInput.parse(input)
  await assertVisibleVideos(actor, videoIds)
  const playlist = await db.playlist.create({
    data: {
      ownerId: actor.userId,
      name,
      items: { create: videoIds.map((videoId, position) => ({ videoId, position })) },
    },
  })
  return toView(playlist, await visibleItems(actor, playlist.id))
}

/** The actor's playlists, newest first; `all` (admins only) lists everyone's. */
export async function listPlaylists(actor: Actor, input: ListPlaylistsInput = {}): Promise<PlaylistSummary[]> {
  requireRead(actor)
  const { all } = listPlaylistsInput.parse(input)
  if (all && !isAdmin(actor)) throw new AppError('FORBIDDEN', 'Only admins may list every playlist.')
  const rows = await db.playlist.findMany({
    where: all ? {} : { ownerId: actor.userId },
    orderBy: { updatedAt: 'desc' },
    take: 500,
    include: { _count: { select: { items: true } } },
  })
  return rows.map((p) => ({
    id: p.id,
    ownerId: p.ownerId,
    name: p.name,
    itemCount: p._count.items,
    updatedAt: p.updatedAt.toISOString(),
  }))
}

export async function getPlaylist(actor: Actor, id: string): Promise<PlaylistView> {
  requireRead(actor)
  const playlist = await ownedPlaylist(actor, id)
  return toView(playlist, await visibleItems(actor, id))
}

/** Renames and/or replaces the items (in the given order) in one transaction. */
export async function updatePlaylist(actor: Actor, id: string, input: UpdatePlaylistInput): Promise<PlaylistView> {
  requireWrite(actor)
  const { name, videoIds } = updatePlaylistInput.parse(input)
  await ownedPlaylist(actor, id)
  if (videoIds) await assertVisibleVideos(actor, videoIds)
  const playlist = await db.$transaction(async (tx) => {
    // Concurrent replacements of the same playlist would collide on (playlistId, position).
    await tx.$queryRaw`SELECT 1 FROM "Playlist" WHERE "id" = ${id} FOR UPDATE`
    if (videoIds) {
      await tx.playlistItem.deleteMany({ where: { playlistId: id } })
      await tx.playlistItem.createMany({ data: videoIds.map((videoId, position) => ({ playlistId: id, videoId, position })) })
    }
    // Touch updatedAt even when only the items changed.
    return tx.playlist.update({ where: { id }, data: { name: name ?? undefined, updatedAt: new Date() } })
  })
  return toView(playlist, await visibleItems(actor, id))
}

export async function deletePlaylist(actor: Actor, id: string): Promise<void> {
  requireWrite(actor)
  await ownedPlaylist(actor, id)
  await db.playlist.delete({ where: { id } })
}

/** The video ids `playlist.load {playlistId}` puts in a room: the visible items, in order. */
export async function playlistVideoIds(actor: Actor, playlistId: string): Promise<string[]> {
  await ownedPlaylist(actor, playlistId)
  return (await visibleItems(actor, playlistId)).map((i) => i.videoId)
}

export { assertVisibleVideos }
