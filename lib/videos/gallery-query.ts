// The gallery's query rules, shared by the server's first page and the browser's next pages (which
// go through the public list API). No server imports: client components use this module.

export type GallerySort = 'newest' | 'views'
export interface GalleryQuery {
  q?: string
  sort?: GallerySort
  cursor?: string
  mine?: boolean
  limit?: number
}

export const GALLERY_PAGE_SIZE = 24

/** The `GET /api/v1/videos` query string values for a gallery query. */
export function galleryListQuery(query: GalleryQuery): Record<string, string> {
  const out: Record<string, string> = { limit: String(query.limit ?? GALLERY_PAGE_SIZE), sort: query.sort === 'views' ? 'views' : 'newest' }
  if (query.cursor) out.cursor = query.cursor
  const q = query.q?.trim()
  if (q) out.q = q
  if (query.mine) out.mine = '1'
  return out
}

/** `?q=&sort=` from a page's searchParams. */
export function galleryParams(sp: Record<string, string | string[] | undefined>): { q: string; sort: GallerySort } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? ''
  return { q: one(sp.q).slice(0, 200), sort: one(sp.sort) === 'views' ? 'views' : 'newest' }
}
