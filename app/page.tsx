import Link from 'next/link'
import { currentActor } from '@/lib/auth/server-session'
import { db } from '@/lib/db'

export const dynamic = 'force-dynamic'

export default async function GalleryPage() {
  const actor = await currentActor()
  const videos = await db.video.findMany({
    where: actor ? { OR: [{ visibility: 'PUBLIC' }, { ownerId: actor.userId }] } : { visibility: 'PUBLIC' },
    orderBy: { createdAt: 'desc' },
    take: 24,
    include: { owner: { select: { name: true, email: true } } },
  })
  return (
    <main className="mx-auto max-w-7xl px-4 py-8">
      <h1 className="mb-6 text-2xl font-semibold">Gallery</h1>
      {videos.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 p-12 text-center dark:border-zinc-700" data-testid="gallery-empty">
          <p className="text-lg">No videos yet.</p>
          <p className="mt-2 text-zinc-500">
            <Link href="/upload" className="text-rose-600 hover:underline">
              Upload the first one
            </Link>
          </p>
        </div>
      ) : (
        <ul className="grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="gallery">
          {videos.map((v) => (
            <li key={v.id} className="rounded-xl bg-white p-4 shadow-sm dark:bg-zinc-900">
              <p className="font-medium">{v.title}</p>
              <p className="text-sm text-zinc-500">{v.owner.name ?? v.owner.email}</p>
            </li>
          ))}
        </ul>
      )}
    </main>
  )
}
