'use client'

import Link from 'next/link'
import { useState } from 'react'
import { api, useAdminAction, useLiveResource } from './live'
import { Badge, Button, CursorPager, cx, ErrorNote, formatAgo, formatBytes, formatDuration, inputClass, PageTitle, Table, td } from './ui'

interface Row {
  id: string
  title: string
  visibility: 'PUBLIC' | 'UNLISTED' | 'PRIVATE'
  status: 'processing' | 'ready' | 'failed'
  owner: { id: string; email: string }
  contentHash: string
  sizeBytes: number
  durationMs: number | null
  views: number
  createdAt: string
}

export function VideosTable() {
  const [q, setQ] = useState('')
  const [query, setQuery] = useState('')
  const [cursors, setCursors] = useState<string[]>([])
  const [confirm, setConfirm] = useState<string | null>(null)
  const params = new URLSearchParams({ limit: '25' })
  if (query) params.set('q', query)
  if (cursors.length) params.set('cursor', cursors[cursors.length - 1])
  const { data, error, reload, setData } = useLiveResource<{ items: Row[]; nextCursor: string | null; total: number }>(`/api/v1/admin/videos?${params}`, {
    livePollMs: 10_000,
    pollMs: 5000,
  })

  const { actionError, run } = useAdminAction(reload)
  const setVisibility = (v: Row, visibility: Row['visibility']) =>
    run(() => {
      // Shown at once; the reload afterwards puts back what the server kept.
      setData((d) => d && { ...d, items: d.items.map((x) => (x.id === v.id ? { ...x, visibility } : x)) })
      return api(`/api/v1/videos/${v.id}`, { method: 'PATCH', json: { visibility } })
    })
  const remove = (v: Row) =>
    run(() => {
      setConfirm(null)
      return api(`/api/v1/videos/${v.id}`, { method: 'DELETE' })
    })

  return (
    <div data-testid="admin-videos">
      <PageTitle
        aside={
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault()
              setCursors([])
              setQuery(q.trim())
            }}
          >
            <label className="sr-only" htmlFor="video-search">
              Search videos
            </label>
            <input id="video-search" className={inputClass} placeholder="Title, owner, id or hash…" value={q} onChange={(e) => setQ(e.target.value)} />
            <Button type="submit">Search</Button>
          </form>
        }
      >
        Videos
      </PageTitle>
      <ErrorNote error={error ?? actionError} />
      <Table
        head={['Video', 'Status', 'Owner', 'Visibility', 'Size', 'Length', 'Views', 'Uploaded', '']}
        empty={data && data.items.length === 0 ? <p className="p-6 text-center text-sm text-zinc-500">No videos.</p> : null}
      >
        {data?.items.map((v) => (
          <tr key={v.id} data-video-id={v.id}>
            <td className={cx(td, 'max-w-64')}>
              <Link href={`/videos/${v.id}`} className="block truncate font-medium hover:underline" title={v.title}>
                {v.title}
              </Link>
              <Link href={`/admin/sessions?q=${v.contentHash.slice(0, 16)}`} className="font-mono text-[11px] text-zinc-500 hover:underline">
                {v.contentHash.slice(0, 12)}…
              </Link>
            </td>
            <td className={td}>
              <Badge value={v.status} />
            </td>
            <td className={cx(td, 'max-w-40 truncate text-xs')}>{v.owner.email}</td>
            <td className={td}>
              <select
                aria-label={`Visibility of ${v.title}`}
                className={cx(inputClass, 'py-1 text-xs')}
                value={v.visibility}
                onChange={(e) => void setVisibility(v, e.target.value as Row['visibility'])}
              >
                <option value="PUBLIC">public</option>
                <option value="UNLISTED">unlisted</option>
                <option value="PRIVATE">private</option>
              </select>
            </td>
            <td className={cx(td, 'tabular-nums text-xs')}>{formatBytes(v.sizeBytes)}</td>
            <td className={cx(td, 'tabular-nums text-xs')}>{formatDuration(v.durationMs)}</td>
            <td className={cx(td, 'tabular-nums text-xs')}>{v.views}</td>
            <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(v.createdAt)}</td>
            <td className={cx(td, 'text-right')}>
              {confirm === v.id ? (
                <span className="flex gap-1">
                  <Button tone="danger" onClick={() => void remove(v)}>
                    Confirm
                  </Button>
                  <Button onClick={() => setConfirm(null)}>Keep</Button>
                </span>
              ) : (
                <Button tone="danger" onClick={() => setConfirm(v.id)}>
                  Delete
                </Button>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <CursorPager total={data ? data.total : null} noun="video" cursors={cursors} setCursors={setCursors} nextCursor={data?.nextCursor} />
    </div>
  )
}
