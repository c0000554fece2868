import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { cache } from 'react'
import { EmbedPlayer } from '@/components/player/EmbedPlayer'
import { parseStartTime } from '@/lib/share/start-time'
import { embeddableVideo } from '@/lib/share/embed'

export const dynamic = 'force-dynamic'

type Params = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }

const load = cache((id: string) => embeddableVideo(id))

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const view = await load((await params).id)
  return { title: view ? view.title : 'Video unavailable', robots: { index: false } }
}

// The player alone, for other sites' iframes (the layout leaves out the site's chrome here, and
// the page policy lets any site frame it). `?autoplay=1&muted=1&t=<seconds>`.
export default async function EmbedPage({ params, searchParams }: Params) {
  const view = await load((await params).id)
  if (!view) notFound()
  const q = await searchParams
  return <EmbedPlayer video={view} startAt={parseStartTime(q.t)} autoPlay={q.autoplay === '1'} muted={q.muted === '1'} />
}
