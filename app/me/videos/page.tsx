import { redirect } from 'next/navigation'
import { MyVideos } from '@/components/me/MyVideos'
import { currentActor } from '@/lib/auth/server-session'
import { galleryPage } from '@/lib/videos/gallery'

export const metadata = { title: 'My videos' }
export const dynamic = 'force-dynamic'

export default async function MyVideosPage() {
  const actor = await currentActor()
  if (!actor) redirect('/signin?callbackUrl=/me/videos')
  const page = await galleryPage(actor, { mine: true, limit: 50 })
  return (
    <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight">My videos</h1>
      <p className="mt-1 mb-6 text-zinc-500">Edit titles, descriptions and who can see each video.</p>
      <MyVideos initial={page} viewerId={actor.userId} />
    </main>
  )
}
