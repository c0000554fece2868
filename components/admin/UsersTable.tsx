'use client'

import { useState } from 'react'
import type { UserView } from '@/lib/admin/users'
import type { RegistrationMode } from '@/lib/auth/registration'
import { InvitesPanel } from './InvitesPanel'
import { api, useAdminAction, useLiveResource } from './live'
import { OneTimeLink } from './OneTimeLink'
import { Badge, Button, Card, cx, ErrorNote, formatAgo, inputClass, PageTitle, Table, td } from './ui'

export function UsersTable({ selfId, registration }: { selfId: string; registration: RegistrationMode }) {
  const [q, setQ] = useState('')
  const [query, setQuery] = useState('')
  const params = new URLSearchParams({ limit: '100' })
  if (query) params.set('q', query)
  const { data, error, reload } = useLiveResource<{ items: UserView[]; nextCursor: string | null }>(`/api/v1/users?${params}`, {
    pollMs: 10_000,
    livePollMs: 30_000,
    onEvent: () => false,
  })

  const { actionError, run } = useAdminAction(reload)
  const update = (u: UserView, patch: Partial<Pick<UserView, 'role' | 'disabled'>>) => run(() => api(`/api/v1/users/${u.id}`, { method: 'PATCH', json: patch }))
  const [resetLink, setResetLink] = useState<{ email: string; url: string; expiresAt: string } | null>(null)
  const makeResetLink = (u: UserView) =>
    run(async () => {
      const link = await api<{ url: string; expiresAt: string }>(`/api/v1/users/${u.id}/password-reset`, { method: 'POST' })
      setResetLink({ email: u.email, ...link })
    })

  return (
    <div data-testid="admin-users">
      <PageTitle
        aside={
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault()
              setQuery(q.trim())
            }}
          >
            <label className="sr-only" htmlFor="user-search">
              Search users
            </label>
            <input id="user-search" className={inputClass} placeholder="Email or name…" value={q} onChange={(e) => setQ(e.target.value)} />
            <Button type="submit">Search</Button>
          </form>
        }
      >
        Users
      </PageTitle>
      <ErrorNote error={error ?? actionError} />
      {resetLink && (
        <div className="mb-4">
          <OneTimeLink label={`Password reset link for ${resetLink.email}`} url={resetLink.url} expiresAt={resetLink.expiresAt} testId="reset-link" />
        </div>
      )}
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-[1fr_20rem]">
        <Table head={['User', 'Role', 'Status', 'Videos', 'API keys', 'Joined', '']}>
          {data?.items.map((u) => (
            <tr key={u.id} data-user-id={u.id}>
              <td className={td}>
                <div className="font-medium">{u.name ?? u.email.split('@')[0]}</div>
                <div className="text-xs text-zinc-500">{u.email}</div>
              </td>
              <td className={td}>
                <select
                  aria-label={`Role of ${u.email}`}
                  className={cx(inputClass, 'py-1 text-xs')}
                  value={u.role}
                  disabled={u.id === selfId}
                  onChange={(e) => void update(u, { role: e.target.value as UserView['role'] })}
                >
                  <option value="USER">user</option>
                  <option value="ADMIN">admin</option>
                </select>
              </td>
              <td className={td}>{u.disabled ? <Badge value="FAILED" label="disabled" /> : <Badge value="live" label="active" />}</td>
              <td className={cx(td, 'tabular-nums')}>{u.videoCount ?? '—'}</td>
              <td className={cx(td, 'tabular-nums')}>{u.apiKeyCount ?? '—'}</td>
              <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(u.createdAt)}</td>
              <td className={cx(td, 'text-right')}>
                {u.id === selfId ? (
                  <span className="text-xs text-zinc-500">you</span>
                ) : (
                  <div className="flex justify-end gap-1">
                    <Button aria-label={`Reset password of ${u.email}`} className="whitespace-nowrap" onClick={() => void makeResetLink(u)}>
                      Reset password
                    </Button>
                    <Button tone={u.disabled ? 'default' : 'danger'} onClick={() => void update(u, { disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </Table>
        <div className="flex min-w-0 flex-col gap-5">
          <NewUser onCreated={reload} />
          <InvitesPanel mode={registration} />
        </div>
      </div>
    </div>
  )
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<'USER' | 'ADMIN'>('USER')
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  return (
    <Card title="Add a user">
      <form
        className="space-y-2"
        onSubmit={async (e) => {
          e.preventDefault()
          setError(null)
          setDone(null)
          try {
            await api('/api/v1/users', { method: 'POST', json: { email, password, role } })
            setDone(`${email} can now sign in.`)
            setEmail('')
            setPassword('')
            onCreated()
          } catch (err) {
            setError((err as Error).message)
          }
        }}
      >
        <label className="block text-xs text-zinc-500">
          Email
          <input className={cx(inputClass, 'mt-1 w-full')} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="block text-xs text-zinc-500">
          Initial password
          <input
            className={cx(inputClass, 'mt-1 w-full')}
            type="password"
            minLength={8}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label className="block text-xs text-zinc-500">
          Role
          <select className={cx(inputClass, 'mt-1 w-full')} value={role} onChange={(e) => setRole(e.target.value as 'USER' | 'ADMIN')}>
            <option value="USER">user</option>
            <option value="ADMIN">admin</option>
          </select>
        </label>
        <Button type="submit" tone="primary" size="md" className="w-full">
          Create user
        </Button>
        <ErrorNote error={error} />
        {done && <p className="text-sm text-emerald-700">{done}</p>}
      </form>
    </Card>
  )
}
