import type { Actor } from '@/lib/auth/actor'
import { listVideos, listVideosQuery } from '@/lib/videos/list'

// The gallery's data: one page of listVideos (items carry their poster URL, token-carrying for
// unlisted and private content, exactly as the player gets it). Server only.

export type GalleryItem = Awaited<ReturnType<typeof listVideos>>['items'][number]
export interface GalleryPage {
  items: GalleryItem[]
  nextCursor: string | null
}

export type GallerySort = 'newest' | 'views'
export interface GalleryQuery {
  q?: string
  sort?: GallerySort
  cursor?: string
  mine?: boolean
  limit?: number
}

export const GALLERY_PAGE_SIZE = 24

export async function galleryPage(actor: Actor | null, query: GalleryQuery): Promise<GalleryPage> {
  const parsed = listVideosQuery.parse({
    limit: query.limit ?? GALLERY_PAGE_SIZE,
    cursor: query.cursor || undefined,
    q: query.q?.trim() || undefined,
    sort: query.sort === 'views' ? 'views' : 'newest',
    mine: query.mine ? '1' : undefined,
  })
  return listVideos(actor, parsed)
}

/** `?q=&sort=` from a page's searchParams. */
export function galleryParams(sp: Record<string, string | string[] | undefined>): { q: string; sort: GallerySort } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? ''
  return { q: one(sp.q).slice(0, 200), sort: one(sp.sort) === 'views' ? 'views' : 'newest' }
}
