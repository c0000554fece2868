import type { Actor } from '@/lib/auth/actor'
import { type GalleryQuery, galleryListQuery } from './gallery-query'
import { listVideos, listVideosQuery } from './list'

// The gallery's first page, rendered on the server: one page of listVideos (items carry their
// poster URL, token-carrying for unlisted and private content, exactly as the player gets it).
// Later pages come from the same function through `GET /api/v1/videos`.

export type GalleryItem = Awaited<ReturnType<typeof listVideos>>['items'][number]
export interface GalleryPage {
  items: GalleryItem[]
  nextCursor: string | null
}

export async function galleryPage(actor: Actor | null, query: GalleryQuery): Promise<GalleryPage> {
  return listVideos(actor, listVideosQuery.parse(galleryListQuery(query)))
}
