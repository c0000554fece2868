import { Suspense } from 'react'
import type { Actor } from '@/lib/auth/actor'
import { currentActor } from '@/lib/auth/server-session'
import { ContinueWatching } from '@/components/history/ContinueWatching'
import { listHistory } from '@/lib/history/list'
import { isFinished } from '@/lib/player/resume'
import { galleryPage } from '@/lib/videos/gallery'
import type { GallerySort } from '@/lib/videos/gallery-query'
import { Gallery, GallerySkeleton } from './Gallery'
import { GalleryToolbar } from './GalleryToolbar'

/** The gallery page body: heading and toolbar at once, the grid streamed in behind a skeleton. */
export async function GalleryView({ q, sort }: { q: string; sort: GallerySort }) {
  const actor = await currentActor()
  return (
    <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
      <div className="mb-8 flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Gallery</h1>
        <GalleryToolbar q={q} sort={sort} />
      </div>
      {actor && !q && (
        <Suspense fallback={null}>
          <ContinueRow actor={actor} />
        </Suspense>
      )}
      <Suspense fallback={<GallerySkeleton />}>
        <GalleryResults actor={actor} q={q} sort={sort} />
      </Suspense>
    </main>
  )
}

async function GalleryResults({ actor, q, sort }: { actor: Actor | null; q: string; sort: GallerySort }) {
  const page = await galleryPage(actor, { q, sort })
  return <Gallery key={`${q}|${sort}`} initial={page} q={q} sort={sort} viewerId={actor?.userId ?? null} />
}

/** Started and not finished, most recent first. */
async function ContinueRow({ actor }: { actor: Actor }) {
  const items = await listHistory(actor, { limit: 24 })
  return <ContinueWatching items={items.filter((i) => !isFinished(i.positionMs, i.durationMs)).slice(0, 12)} />
}
