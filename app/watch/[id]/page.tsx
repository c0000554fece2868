import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { WatchRoom } from '@/components/watch/WatchRoom'
import { isAdmin } from '@/lib/auth/actor'
import { currentActor } from '@/lib/auth/server-session'

export const dynamic = 'force-dynamic'

export const metadata: Metadata = { title: 'Watch together' }

// A together room's page: the invite link lands here. Joining, the player and the member list
// happen in the browser (WatchRoom), so a reconnect resyncs without a reload.
export default async function WatchPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ invite?: string | string[] }> }) {
  const { id } = await params
  const raw = (await searchParams).invite
  const invite = typeof raw === 'string' && raw.length <= 128 ? raw : null
  const actor = await currentActor()
  // Without an account only an invite can help (rooms that admit guests); the page finds out.
  if (!actor && !invite) redirect(`/signin?callbackUrl=${encodeURIComponent(`/watch/${encodeURIComponent(id)}`)}`)
  return <WatchRoom roomId={id} invite={invite} me={actor ? { userId: actor.userId, admin: isAdmin(actor) } : null} />
}
