import { GalleryView } from '@/components/gallery/GalleryView'
import { galleryParams } from '@/lib/videos/gallery-query'

export const dynamic = 'force-dynamic'

export default async function GalleryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { q, sort } = galleryParams(await searchParams)
  return <GalleryView q={q} sort={sort} />
}
