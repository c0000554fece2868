import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import type { ReactNode } from 'react'
import { AdminNav } from '@/components/admin/AdminNav'
import { isAdmin } from '@/lib/auth/actor'
import { currentActor } from '@/lib/auth/server-session'

export const metadata: Metadata = { title: { default: 'Admin', template: '%s · Admin · Reelhouse' } }
export const dynamic = 'force-dynamic'

/** Every admin page: signed-in admins only (the API checks again on every call). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor()
  if (!actor) redirect('/signin?callbackUrl=/admin')
  if (!isAdmin(actor)) {
    return (
      <main className="mx-auto max-w-xl px-4 py-16 text-center">
        <h1 className="text-xl font-semibold">Admins only</h1>
        <p className="mt-2 text-zinc-500">Your account ({actor.email}) cannot open the dashboard.</p>
      </main>
    )
  }
  return (
    <div className="mx-auto flex max-w-[96rem] flex-col gap-6 px-4 py-6 lg:flex-row">
      <aside className="lg:sticky lg:top-20 lg:h-fit lg:w-44 lg:shrink-0">
        <AdminNav />
      </aside>
      <main className="min-w-0 flex-1">{children}</main>
    </div>
  )
}
