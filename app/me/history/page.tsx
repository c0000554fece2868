import { redirect } from 'next/navigation'
import { HistoryList } from '@/components/history/HistoryList'
import { currentActor } from '@/lib/auth/server-session'
import { listHistory } from '@/lib/history/list'

export const metadata = { title: 'History' }
export const dynamic = 'force-dynamic'

export default async function HistoryPage() {
  const actor = await currentActor()
  if (!actor) redirect('/signin?callbackUrl=/me/history')
  const items = await listHistory(actor, { limit: 100 })
  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight">History</h1>
      <p className="mt-1 mb-6 text-zinc-500">What you watched, most recent first. Each video resumes where you left off.</p>
      <HistoryList initial={items} />
    </main>
  )
}
