import { galleryParams } from '@/app/(gallery)/gallery-page'
import { GalleryView } from '@/components/gallery/GalleryView'

export const dynamic = 'force-dynamic'

export default async function GalleryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { q, sort } = galleryParams(await searchParams)
  return <GalleryView q={q} sort={sort} />
}
