'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { cx } from './ui'

const LINKS = [
  ['/admin', 'Overview'],
  ['/admin/sessions', 'Sessions'],
  ['/admin/workers', 'Workers'],
  ['/admin/players', 'Players'],
  ['/admin/videos', 'Videos'],
  ['/admin/users', 'Users'],
  ['/admin/api-keys', 'API keys'],
  ['/admin/webhooks', 'Webhooks'],
] as const

export function AdminNav() {
  const path = usePathname()
  return (
    <nav aria-label="Admin" className="flex gap-1 overflow-x-auto lg:flex-col">
      {LINKS.map(([href, label]) => {
        const active = href === '/admin' ? path === href : path.startsWith(href)
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? 'page' : undefined}
            className={cx(
              'rounded-md px-3 py-1.5 text-sm whitespace-nowrap',
              active
                ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900'
                : 'text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800',
            )}
          >
            {label}
          </Link>
        )
      })}
      <a href="/docs" className="rounded-md px-3 py-1.5 text-sm whitespace-nowrap text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
        API docs ↗
      </a>
    </nav>
  )
}
