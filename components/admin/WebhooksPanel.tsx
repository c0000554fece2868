'use client'

import { useState } from 'react'
import type { DeliveryView, WebhookView } from '@/lib/webhooks/schemas'
import { OwnerName } from './OwnerName'
import { api, useAdminAction, useLiveResource } from './live'
import { Badge, Button, Card, cx, ErrorNote, formatAgo, inputClass, PageTitle, Table, td } from './ui'

const EVENTS = ['video.ready', 'video.failed', 'session.failed'] as const

/** Webhook endpoints (everyone's, for admins), their recent deliveries, and redelivery. */
export function WebhooksPanel() {
  const { data, error, reload } = useLiveResource<{ items: WebhookView[] }>('/api/v1/webhooks?all=true', {
    pollMs: 10_000,
    livePollMs: 30_000,
    onEvent: () => false,
  })
  const [selected, setSelected] = useState<string | null>(null)
  const { actionError, run } = useAdminAction(reload)
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null)
  const current = data?.items.find((w) => w.id === selected) ?? data?.items[0] ?? null

  const patch = (w: WebhookView, body: Record<string, unknown>) =>
    run(async () => {
      const res = await api<WebhookView>(`/api/v1/webhooks/${w.id}`, { method: 'PATCH', json: body })
      if (res.secret) setSecret({ id: w.id, secret: res.secret })
    })
  const remove = (w: WebhookView) =>
    run(async () => {
      await api(`/api/v1/webhooks/${w.id}`, { method: 'DELETE' })
      setSelected(null)
    })

  return (
    <div data-testid="admin-webhooks">
      <PageTitle>Webhooks</PageTitle>
      <ErrorNote error={error ?? actionError} />
      <div className="grid grid-cols-1 gap-5 2xl:grid-cols-[1fr_22rem]">
        <div className="space-y-5">
          <Table
            head={['Endpoint', 'Events', 'Owner', 'Created', '']}
            empty={data && data.items.length === 0 ? <p className="p-6 text-center text-sm text-zinc-500">No endpoints yet.</p> : null}
          >
            {data?.items.map((w) => (
              <tr key={w.id} className={cx(current?.id === w.id && 'bg-rose-50/60 dark:bg-rose-950/30')}>
                <td className={cx(td, 'max-w-64')}>
                  <button
                    type="button"
                    className="block max-w-full truncate text-left font-medium hover:underline"
                    title={w.url}
                    onClick={() => setSelected(w.id)}
                  >
                    {w.url}
                  </button>
                  <span className="font-mono text-[11px] text-zinc-500">{w.secretHint}</span>
                </td>
                <td className={cx(td, 'max-w-48 text-xs')}>{w.events.join(', ')}</td>
                <td className={cx(td, 'text-xs text-zinc-600 dark:text-zinc-300')}>
                  <OwnerName id={w.ownerId} />
                </td>
                <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(w.createdAt)}</td>
                <td className={cx(td, 'text-right')}>
                  <span className="flex flex-wrap justify-end gap-1">
                    <Button onClick={() => void patch(w, { active: !w.active })}>{w.active ? 'Pause' : 'Resume'}</Button>
                    <Button onClick={() => void patch(w, { rotateSecret: true })}>Rotate secret</Button>
                    <Button tone="danger" onClick={() => void remove(w)}>
                      Delete
                    </Button>
                  </span>
                  {!w.active && <Badge value="CANCELLED" label="paused" />}
                </td>
              </tr>
            ))}
          </Table>
          {secret && (
            <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-900 dark:bg-amber-950" data-testid="webhook-secret">
              New signing secret (shown once): <code className="break-all font-mono text-xs">{secret.secret}</code>{' '}
              <Button onClick={() => setSecret(null)}>Done</Button>
            </p>
          )}
          {current && <Deliveries webhook={current} />}
        </div>
        <NewWebhook
          onCreated={(w) => {
            if (w.secret) setSecret({ id: w.id, secret: w.secret })
            setSelected(w.id)
            void reload()
          }}
        />
      </div>
    </div>
  )
}

function Deliveries({ webhook }: { webhook: WebhookView }) {
  const { data, error, reload } = useLiveResource<{ items: DeliveryView[]; nextCursor: string | null }>(`/api/v1/webhooks/${webhook.id}/deliveries?limit=25`, {
    pollMs: 3000,
    livePollMs: 3000,
    onEvent: () => false,
  })
  const [open, setOpen] = useState<string | null>(null)
  const { actionError, run } = useAdminAction(reload)
  const redeliver = (d: DeliveryView) => run(() => api(`/api/v1/webhooks/${webhook.id}/deliveries/${d.id}/redeliver`, { method: 'POST' }))
  return (
    <Card title={`Recent deliveries to ${new URL(webhook.url).host}`} testId="webhook-deliveries">
      <ErrorNote error={error ?? actionError} />
      <Table
        head={['Event', 'Status', 'Attempts', 'Response', 'When', '']}
        empty={data && data.items.length === 0 ? <p className="p-4 text-center text-sm text-zinc-500">Nothing delivered yet.</p> : null}
      >
        {data?.items.map((d) => (
          <tr key={d.id}>
            <td className={td}>
              <button type="button" className="font-mono text-xs hover:underline" onClick={() => setOpen(open === d.id ? null : d.id)}>
                {d.event}
              </button>
              {open === d.id && (
                <pre className="mt-2 max-w-md overflow-auto rounded bg-zinc-950 p-2 text-[11px] text-zinc-200">{JSON.stringify(d.payload, null, 2)}</pre>
              )}
            </td>
            <td className={td}>
              <Badge value={d.status} />
            </td>
            <td className={cx(td, 'tabular-nums')}>{d.attempt}</td>
            <td className={cx(td, 'max-w-56 truncate text-xs')} title={d.error ?? ''}>
              {d.responseCode ?? '—'} {d.error && <span className="text-red-600">{d.error}</span>}
              {d.durationMs !== null && <span className="ml-1 tabular-nums text-zinc-500">{d.durationMs} ms</span>}
            </td>
            <td className={cx(td, 'text-xs text-zinc-500 whitespace-nowrap')}>
              {d.deliveredAt ? formatAgo(d.deliveredAt) : d.nextAttemptAt ? `next ${new Date(d.nextAttemptAt).toLocaleTimeString()}` : formatAgo(d.createdAt)}
            </td>
            <td className={cx(td, 'text-right')}>
              <Button onClick={() => void redeliver(d)}>Redeliver</Button>
            </td>
          </tr>
        ))}
      </Table>
    </Card>
  )
}

function NewWebhook({ onCreated }: { onCreated: (w: WebhookView) => void }) {
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<Set<string>>(new Set(EVENTS))
  const [error, setError] = useState<string | null>(null)
  return (
    <Card title="Add an endpoint">
      <form
        className="space-y-3"
        onSubmit={async (e) => {
          e.preventDefault()
          setError(null)
          try {
            const w = await api<WebhookView>('/api/v1/webhooks', { method: 'POST', json: { url, events: [...events] } })
            setUrl('')
            onCreated(w)
          } catch (err) {
            setError((err as Error).message)
          }
        }}
      >
        <label className="block text-xs text-zinc-500">
          URL
          <input
            className={cx(inputClass, 'mt-1 w-full')}
            type="url"
            required
            placeholder="https://example.com/hooks"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <fieldset className="space-y-1 text-sm">
          <legend className="mb-1 text-xs text-zinc-500">Events</legend>
          {EVENTS.map((ev) => (
            <label key={ev} className="flex items-center gap-2 font-mono text-xs">
              <input
                type="checkbox"
                checked={events.has(ev)}
                onChange={(e) => {
                  const next = new Set(events)
                  if (e.target.checked) next.add(ev)
                  else next.delete(ev)
                  setEvents(next)
                }}
              />
              {ev}
            </label>
          ))}
        </fieldset>
        <Button type="submit" tone="primary" size="md" className="w-full" disabled={events.size === 0}>
          Add endpoint
        </Button>
        <ErrorNote error={error} />
        <p className="text-xs text-zinc-500">
          Requests are signed: <code>Reelhouse-Signature: t=…,v1=…</code>, HMAC-SHA256 of <code>t.body</code> with the endpoint's secret. See{' '}
          <a className="text-rose-600 hover:underline" href="/docs">
            the API docs
          </a>
          .
        </p>
      </form>
    </Card>
  )
}
