import { MissingVideo } from '@/components/player/MissingVideo'
import { VideoModal } from '@/components/player/VideoModal'
import { currentActor } from '@/lib/auth/server-session'
import { parseStartTime } from '@/lib/share/start-time'
import { getVideoView } from '@/lib/videos/view'

export const dynamic = 'force-dynamic'

// A card opened from a page of this tab: the player modal over that page.
export default async function InterceptedVideo({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const { id } = await params
  const actor = await currentActor()
  const view = await getVideoView(actor, id)
  if (!view) return <MissingVideo />
  return <VideoModal video={view} mode="intercepted" signedIn={!!actor} startAt={parseStartTime((await searchParams).t)} />
}
