'use client'

import { useState } from 'react'
import type { InviteView } from '@/lib/auth/invites'
import type { RegistrationMode } from '@/lib/auth/registration'
import { api, useAdminAction, useLiveResource } from './live'
import { OneTimeLink } from './OneTimeLink'
import { Badge, Button, Card, cx, ErrorNote, formatAgo, inputClass } from './ui'

const MODE_TEXT: Record<RegistrationMode, string> = {
  open: 'Anyone may sign up on /signup (REGISTRATION=open).',
  invite: 'Sign-up needs an invite link (REGISTRATION=invite).',
  closed: 'Sign-up is closed; invite links do not work (REGISTRATION=closed).',
}

const STATE_BADGE: Record<InviteView['state'], { value: string; label: string }> = {
  open: { value: 'live', label: 'open' },
  used: { value: 'STORED', label: 'used' },
  expired: { value: 'offline', label: 'expired' },
  revoked: { value: 'CANCELLED', label: 'withdrawn' },
}

const EXPIRY_CHOICES = [
  { hours: 24, label: '1 day' },
  { hours: 7 * 24, label: '7 days' },
  { hours: 30 * 24, label: '30 days' },
]

/** Invite links: make one (shown once), see who used which, withdraw unused ones. */
export function InvitesPanel({ mode }: { mode: RegistrationMode }) {
  const { data, error, reload } = useLiveResource<{ items: InviteView[] }>('/api/v1/admin/invites', {
    pollMs: 15_000,
    livePollMs: 60_000,
    onEvent: () => false,
  })
  const { actionError, run } = useAdminAction(reload)
  const [hours, setHours] = useState(7 * 24)
  const [made, setMade] = useState<{ url: string; expiresAt: string } | null>(null)

  return (
    <Card title="Invite links" testId="invites">
      <p className="mb-2 text-xs text-zinc-500">{MODE_TEXT[mode]}</p>
      <div className="flex gap-2">
        <label className="sr-only" htmlFor="invite-expiry">
          Invite link works for
        </label>
        <select id="invite-expiry" className={cx(inputClass, 'py-1 text-xs')} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.hours} value={c.hours}>
              {c.label}
            </option>
          ))}
        </select>
        <Button
          tone="primary"
          className="flex-1"
          onClick={() =>
            void run(async () => {
              setMade(await api<{ url: string; expiresAt: string }>('/api/v1/admin/invites', { method: 'POST', json: { expiresInHours: hours } }))
            })
          }
        >
          Make invite link
        </Button>
      </div>
      {made && (
        <div className="mt-2">
          <OneTimeLink label="New invite link" url={made.url} expiresAt={made.expiresAt} testId="new-invite" />
        </div>
      )}
      <ErrorNote error={error ?? actionError} />
      <ul className="mt-3 divide-y divide-zinc-100 text-xs dark:divide-zinc-800">
        {data?.items.length === 0 && <li className="py-2 text-zinc-500">No invites yet.</li>}
        {data?.items.map((inv) => (
          <li key={inv.id} data-invite-id={inv.id} className="flex items-center gap-2 py-2">
            <Badge value={STATE_BADGE[inv.state].value} label={STATE_BADGE[inv.state].label} />
            <span className="min-w-0 flex-1 truncate text-zinc-600 dark:text-zinc-300" title={inv.usedBy ?? undefined}>
              {inv.state === 'used'
                ? `by ${inv.usedBy ?? 'a deleted user'}`
                : inv.state === 'open'
                  ? `until ${new Date(inv.expiresAt).toLocaleDateString()}`
                  : ''}
              <span className="ml-1 text-zinc-400">· made {formatAgo(inv.createdAt)}</span>
            </span>
            {inv.state === 'open' && (
              <Button tone="danger" onClick={() => void run(() => api(`/api/v1/admin/invites/${inv.id}`, { method: 'DELETE' }))}>
                Withdraw
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Card>
  )
}
