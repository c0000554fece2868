import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { cache } from 'react'
import { GalleryView } from '@/components/gallery/GalleryView'
import { VideoModal } from '@/components/player/VideoModal'
import { currentActor } from '@/lib/auth/server-session'
import { siteOrigin } from '@/lib/config/site'
import { oembedUrl } from '@/lib/share/links'
import { parseStartTime } from '@/lib/share/start-time'
import { getVideoView } from '@/lib/videos/view'

export const dynamic = 'force-dynamic'

const load = cache(async (id: string) => {
  const actor = await currentActor()
  return { actor, view: await getVideoView(actor, id) }
})

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { view } = await load((await params).id)
  if (!view) return { title: 'Video not found' }
  // oEmbed discovery, for what anyone with the link may watch (apps that unfurl links fetch it anonymously).
  const embeddable = view.visibility !== 'PRIVATE' && view.status === 'ready'
  return {
    title: view.title,
    description: view.description.slice(0, 200) || undefined,
    ...(embeddable ? { alternates: { types: { 'application/json+oembed': oembedUrl(siteOrigin(), view.id) } } } : {}),
  }
}

// The deep link (a reload, or a shared URL): the same modal, over the gallery.
export default async function VideoPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const { actor, view } = await load((await params).id)
  if (!view) notFound()
  return (
    <>
      <GalleryView q="" sort="newest" />
      <VideoModal video={view} mode="page" signedIn={!!actor} startAt={parseStartTime((await searchParams).t)} />
    </>
  )
}
