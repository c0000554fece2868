'use client'

import Link from 'next/link'
import type { WorkerView } from '@/lib/admin/overview'
import { useLiveResource } from './live'
import { Badge, cx, ErrorNote, formatAgo, formatBytes, LiveDot, PageTitle, ProgressBar, Table, td } from './ui'

export function WorkersTable() {
  const { data, error, connected } = useLiveResource<{ items: WorkerView[] }>('/api/v1/admin/workers', { livePollMs: 2000 })
  return (
    <div data-testid="admin-workers">
      <PageTitle aside={<LiveDot connected={connected} />}>Workers</PageTitle>
      <ErrorNote error={error} />
      <Table
        head={['Worker', 'State', 'CPU', 'Memory', 'Current session', 'Heartbeat', 'Up since']}
        empty={
          data && data.items.length === 0 ? (
            <p className="p-6 text-center text-sm text-zinc-500">No worker has registered. Start one with npm run worker.</p>
          ) : null
        }
      >
        {data?.items.map((w) => (
          <tr key={w.id}>
            <td className={td}>
              <div className="font-medium">{w.host}</div>
              <div className="font-mono text-[11px] text-zinc-500">{w.id}</div>
            </td>
            <td className={td}>
              <div className="flex flex-col items-start gap-1">
                <Badge value={w.live ? 'live' : 'offline'} />
                {w.breakerOpen && <Badge value="FAILED" label={`breaker open${w.breakerReason ? `: ${w.breakerReason}` : ''}`} />}
              </div>
            </td>
            <td className={cx(td, 'w-40')}>
              <ProgressBar value={Math.min(1, w.cpu / 100)} label={`CPU ${w.cpu.toFixed(0)}%`} />
            </td>
            <td className={cx(td, 'tabular-nums')}>{formatBytes(w.rssBytes)}</td>
            <td className={cx(td, 'font-mono text-xs')}>
              {w.currentSessionId ? (
                <Link className="hover:underline" href={`/admin/sessions/${w.currentSessionId}`}>
                  {w.currentSessionId}
                </Link>
              ) : (
                <span className="text-zinc-500">idle</span>
              )}
            </td>
            <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(w.heartbeatAt)}</td>
            <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(w.startedAt)}</td>
          </tr>
        ))}
      </Table>
      <p className="mt-3 text-xs text-zinc-500">
        CPU is the worker process plus its FFmpeg, in percent of one core.{' '}
        <Link className="text-rose-600 hover:underline" href="/admin/sessions?state=RUNNING">
          Running sessions
        </Link>
      </p>
    </div>
  )
}
