import { type GalleryQuery, galleryListQuery } from '@/lib/videos/gallery-query'
import type { GalleryPage } from '@/lib/videos/gallery'

/** The next gallery page from the public list API, as the signed-in viewer (session cookie) sees it. */
export async function fetchGalleryPage(query: GalleryQuery): Promise<GalleryPage> {
  const res = await fetch(`/api/v1/videos?${new URLSearchParams(galleryListQuery(query))}`, { headers: { accept: 'application/json' } })
  if (!res.ok) throw new Error(`Listing videos answered ${res.status}`)
  return (await res.json()) as GalleryPage
}
