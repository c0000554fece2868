import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { cache } from 'react'
import { GalleryView } from '@/components/gallery/GalleryView'
import { VideoModal } from '@/components/player/VideoModal'
import { currentActor } from '@/lib/auth/server-session'
import { getVideoView } from '@/lib/videos/view'

export const dynamic = 'force-dynamic'

const load = cache(async (id: string) => {
  const actor = await currentActor()
  return { actor, view: await getVideoView(actor, id) }
})

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { view } = await load((await params).id)
  return view ? { title: view.title, description: view.description.slice(0, 200) || undefined } : { title: 'Video not found' }
}

// The deep link (a reload, or a shared URL): the same modal, over the gallery.
export default async function VideoPage({ params }: { params: Promise<{ id: string }> }) {
  const { actor, view } = await load((await params).id)
  if (!view) notFound()
  return (
    <>
      <GalleryView q="" sort="newest" />
      <VideoModal video={view} mode="page" signedIn={!!actor} />
    </>
  )
}
