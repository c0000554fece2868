'use client'

import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useState } from 'react'
import type { SessionRow } from '@/lib/sessions/list'
import { useLiveResource } from './live'
import { Badge, Button, CursorPager, cx, ErrorNote, formatAgo, formatDuration, inputClass, LiveDot, PageTitle, ProgressBar, stateTone, Table, td } from './ui'

const STATES = ['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED', 'STORED', 'FAILED', 'CANCELLED'] as const

interface Page {
  items: SessionRow[]
  nextCursor: string | null
  total: number
}

/** Sessions, filterable by state, text and worker, paginated by cursor; filters live in the URL. */
export function SessionsTable() {
  const router = useRouter()
  const pathname = usePathname()
  const search = useSearchParams()
  const state = search.get('state') ?? ''
  const q = search.get('q') ?? ''
  const worker = search.get('worker') ?? ''
  const [cursors, setCursors] = useState<string[]>([])
  const cursor = cursors[cursors.length - 1]
  const [text, setText] = useState(q)

  const params = new URLSearchParams({ limit: '25' })
  if (state) params.set('state', state)
  if (q) params.set('q', q)
  if (worker) params.set('worker', worker)
  if (cursor) params.set('cursor', cursor)
  const { data, error, connected } = useLiveResource<Page>(`/api/v1/sessions?${params}`)

  const setFilter = (next: Record<string, string>) => {
    const p = new URLSearchParams(search.toString())
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v)
      else p.delete(k)
    }
    setCursors([])
    router.replace(`${pathname}?${p}`, { scroll: false })
  }
  const selected = new Set(state.split(',').filter(Boolean))
  const toggle = (s: string) => {
    const next = new Set(selected)
    if (next.has(s)) next.delete(s)
    else next.add(s)
    setFilter({ state: [...next].join(',') })
  }

  return (
    <div data-testid="admin-sessions">
      <PageTitle aside={<LiveDot connected={connected} />}>Sessions</PageTitle>
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <fieldset className="flex flex-wrap gap-1" aria-label="Filter by state">
          {STATES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={selected.has(s)}
              onClick={() => toggle(s)}
              className={cx(
                'rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset',
                selected.has(s)
                  ? 'bg-rose-600 text-white ring-rose-600'
                  : 'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-200 dark:ring-zinc-700',
              )}
            >
              {s.toLowerCase()}
            </button>
          ))}
        </fieldset>
        <form
          className="ml-auto flex gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            setFilter({ q: text.trim() })
          }}
        >
          <label className="sr-only" htmlFor="session-search">
            Search sessions
          </label>
          <input id="session-search" className={inputClass} placeholder="Title, session id or hash…" value={text} onChange={(e) => setText(e.target.value)} />
          <Button type="submit">Search</Button>
          {(state || q || worker) && (
            <Button
              onClick={() => {
                setText('')
                setFilter({ state: '', q: '', worker: '' })
              }}
            >
              Clear
            </Button>
          )}
        </form>
      </div>
      {worker && (
        <p className="mb-2 text-xs text-zinc-500">
          Worker: <code>{worker}</code>
        </p>
      )}
      <ErrorNote error={error} />
      <Table
        testId="sessions-table"
        head={['Video', 'State', 'Priority', 'Progress', 'Speed', 'Attempt', 'Worker', 'Started', 'Duration']}
        empty={data && data.items.length === 0 ? <p className="p-6 text-center text-sm text-zinc-500">No sessions match.</p> : null}
      >
        {data?.items.map((s) => (
          <tr key={s.id} data-session-id={s.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
            <td className={td}>
              <Link className="font-medium hover:underline" href={`/admin/sessions/${s.id}`}>
                {s.video?.title ?? <span className="text-zinc-500">(no video)</span>}
              </Link>
              <div className="font-mono text-[11px] text-zinc-500">{s.id}</div>
            </td>
            <td className={td}>
              <Badge value={s.state} testId="session-row-state" />
              {s.error && (
                <div className="mt-1 max-w-56 truncate text-[11px] text-red-600" title={s.error}>
                  {s.error}
                </div>
              )}
            </td>
            <td
              className={cx(td, 'text-xs whitespace-nowrap')}
              data-testid="session-row-priority"
              data-priority={s.priority}
              data-paused={s.pausedAt ? 'true' : 'false'}
            >
              <PriorityCell priority={s.priority} viewers={s.viewers} pausedAt={s.pausedAt} />
            </td>
            <td className={cx(td, 'w-40')}>
              <ProgressBar value={s.state === 'STORED' ? 1 : s.progress} tone={stateTone(s.state)} />
            </td>
            <td className={cx(td, 'tabular-nums')}>{s.encodeSpeed !== null ? `${s.encodeSpeed.toFixed(2)}×` : '—'}</td>
            <td className={cx(td, 'tabular-nums')}>
              {s.attempt}/{s.maxAttempts}
            </td>
            <td className={cx(td, 'max-w-36 truncate text-xs')}>
              {s.worker ? (
                <button type="button" className="hover:underline" title={s.worker} onClick={() => setFilter({ worker: s.worker ?? '' })}>
                  {s.worker}
                </button>
              ) : (
                '—'
              )}
            </td>
            <td className={cx(td, 'text-xs text-zinc-500 whitespace-nowrap')}>{formatAgo(s.startedAt ?? s.createdAt)}</td>
            <td className={cx(td, 'text-xs tabular-nums')}>{formatDuration(s.durationMs)}</td>
          </tr>
        ))}
      </Table>
      <CursorPager
        total={data ? data.total : null}
        noun="session"
        cursors={cursors}
        setCursors={setCursors}
        nextCursor={data?.nextCursor}
        testId="sessions-total"
      />
    </div>
  )
}

/** The priority lane at a glance: the lane, viewers waiting, and a pause for another session. */
function PriorityCell({ priority, viewers, pausedAt }: Pick<SessionRow, 'priority' | 'viewers' | 'pausedAt'>) {
  return (
    <div className="flex flex-col gap-0.5">
      <span className={priority === 'startup' ? 'font-medium text-rose-600 dark:text-rose-400' : 'text-zinc-500'}>
        {priority === 'startup' ? 'start-up lane' : 'normal'}
      </span>
      {viewers > 0 && <span data-testid="session-row-viewers">{viewers === 1 ? '1 viewer waiting' : `${viewers} viewers waiting`}</span>}
      {pausedAt && <span className="text-amber-600 dark:text-amber-400">paused · {formatAgo(pausedAt)}</span>}
    </div>
  )
}
