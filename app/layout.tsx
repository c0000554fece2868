import type { Metadata, Viewport } from 'next'
import { headers } from 'next/headers'
import type { ReactNode } from 'react'
import { SiteHeader } from '@/components/SiteHeader'
import { THEME_SCRIPT } from '@/components/ThemeToggle'
import { currentActor } from '@/lib/auth/server-session'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Reelhouse', template: '%s · Reelhouse' },
  description: 'Self-hosted video: upload, adaptive streaming, remote control.',
}

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#fafafa' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
}

// `modal` is the parallel route that shows a video over the page it was opened from.
export default async function RootLayout({ children, modal }: { children: ReactNode; modal: ReactNode }) {
  const actor = await currentActor()
  // Set by proxy.ts: the page's CSP allows inline scripts with this nonce only.
  const h = await headers()
  const nonce = h.get('x-nonce') ?? undefined
  // An embed (another site's iframe) is the player alone: no header, no modal slot.
  const embed = h.get('x-embed') === '1'
  return (
    <html lang="en" suppressHydrationWarning data-embed={embed ? '' : undefined}>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant, so the theme is set before first paint */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        {!embed && <SiteHeader actor={actor} />}
        {children}
        {!embed && modal}
      </body>
    </html>
  )
}
