import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { SiteHeader } from '@/components/SiteHeader'
import { currentActor } from '@/lib/auth/server-session'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Reelhouse', template: '%s · Reelhouse' },
  description: 'Self-hosted video: upload, adaptive streaming, remote control.',
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor()
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <SiteHeader actor={actor} />
        {children}
      </body>
    </html>
  )
}
