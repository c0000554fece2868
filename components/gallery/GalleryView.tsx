import { Suspense } from 'react'
import type { Actor } from '@/lib/auth/actor'
import { currentActor } from '@/lib/auth/server-session'
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
