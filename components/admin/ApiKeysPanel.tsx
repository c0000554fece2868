'use client'

import { useState } from 'react'
import type { ApiKeyView } from '@/lib/auth/own-api-keys'
import { OwnerName } from './OwnerName'
import { api, useAdminAction, useLiveResource } from './live'
import { Badge, Button, Card, cx, ErrorNote, formatAgo, inputClass, PageTitle, Table, td } from './ui'

const SCOPES = ['read', 'write', 'admin'] as const

/** API keys: create (the secret is shown once), revoke, last used. Admins see everyone's keys. */
export function ApiKeysPanel() {
  const { data, error, reload } = useLiveResource<{ items: ApiKeyView[] }>('/api/v1/api-keys?all=true', {
    pollMs: 10_000,
    livePollMs: 30_000,
    onEvent: () => false,
  })
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Set<string>>(new Set(['read', 'write']))
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null)
  const { actionError, run } = useAdminAction(reload)
  const [copied, setCopied] = useState(false)

  const create = () =>
    run(async () => {
      setCopied(false)
      const res = await api<{ key: string; name: string }>('/api/v1/api-keys', { method: 'POST', json: { name, scopes: [...scopes] } })
      setCreated(res)
      setName('')
    })
  const revoke = (k: ApiKeyView) => run(() => api(`/api/v1/api-keys/${k.id}`, { method: 'DELETE' }))

  return (
    <div data-testid="admin-api-keys">
      <PageTitle>API keys</PageTitle>
      <ErrorNote error={error ?? actionError} />
      <div className="grid grid-cols-1 gap-5 2xl:grid-cols-[1fr_22rem]">
        <Table head={['Name', 'Key', 'Scopes', 'Owner', 'Last used', 'Created', '']}>
          {data?.items.map((k) => (
            <tr key={k.id} className={cx(k.revokedAt && 'opacity-60')} data-key-id={k.id}>
              <td className={cx(td, 'font-medium')}>{k.name}</td>
              <td className={cx(td, 'font-mono text-xs')}>rh_{k.prefix}_…</td>
              <td className={td}>
                <span className="flex gap-1">
                  {k.scopes.map((s) => (
                    <Badge key={s} value={s === 'admin' ? 'CANCELLED' : 'QUEUED'} label={s} />
                  ))}
                </span>
              </td>
              <td className={cx(td, 'text-xs text-zinc-600 dark:text-zinc-300')}>
                <OwnerName id={k.userId} />
              </td>
              <td className={cx(td, 'text-xs text-zinc-500')} data-testid="key-last-used">
                {k.lastUsedAt ? formatAgo(k.lastUsedAt) : 'never'}
              </td>
              <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(k.createdAt)}</td>
              <td className={cx(td, 'text-right')}>
                {k.revokedAt ? (
                  <Badge value="FAILED" label="revoked" />
                ) : (
                  <Button tone="danger" onClick={() => void revoke(k)}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
        <Card title="Create a key">
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault()
              void create()
            }}
          >
            <label className="block text-xs text-zinc-500">
              Name
              <input
                className={cx(inputClass, 'mt-1 w-full')}
                required
                maxLength={100}
                placeholder="CI uploader"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <fieldset className="flex gap-3 text-sm">
              <legend className="mb-1 text-xs text-zinc-500">Scopes</legend>
              {SCOPES.map((s) => (
                <label key={s} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={scopes.has(s)}
                    onChange={(e) => {
                      const next = new Set(scopes)
                      if (e.target.checked) next.add(s)
                      else next.delete(s)
                      setScopes(next)
                    }}
                  />
                  {s}
                </label>
              ))}
            </fieldset>
            <Button type="submit" tone="primary" size="md" className="w-full" disabled={!name.trim() || scopes.size === 0}>
              Create key
            </Button>
          </form>
          {created && (
            <div className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-900 dark:bg-amber-950" data-testid="new-api-key">
              <p className="font-medium">Copy the key for “{created.name}” now: it will not be shown again.</p>
              <code className="mt-2 block break-all rounded bg-white p-2 font-mono text-xs dark:bg-zinc-900">{created.key}</code>
              <div className="mt-2 flex gap-2">
                <Button
                  onClick={() => {
                    void navigator.clipboard?.writeText(created.key).then(() => setCopied(true))
                  }}
                >
                  {copied ? 'Copied' : 'Copy'}
                </Button>
                <Button onClick={() => setCreated(null)}>Done</Button>
              </div>
            </div>
          )}
        </Card>
      </div>
    </div>
  )
}
