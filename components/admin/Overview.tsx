'use client'

import Link from 'next/link'
import { useEffect, useRef, useState } from 'react'
import type { Overview as OverviewData } from '@/lib/admin/overview'
import { useLiveResource } from './live'
import { Badge, Bars, Card, cx, ErrorNote, formatAgo, formatBytes, LiveDot, PageTitle, ProgressBar, Sparkline, Stat, Table, td } from './ui'

const HISTORY = 60

/** The health monitor: polls the overview every 2 s (pipeline events refresh it at once) and charts the last two minutes. */
export function Overview() {
  const { data, error, connected } = useLiveResource<OverviewData>('/api/v1/admin/overview', { pollMs: 2000, livePollMs: 2000 })
  const [history, setHistory] = useState<{ speed: number[]; bytes: number[]; queued: number[]; segments: number[] }>({
    speed: [],
    bytes: [],
    queued: [],
    segments: [],
  })
  const lastAt = useRef<string | null>(null)
  useEffect(() => {
    if (!data || data.at === lastAt.current) return
    lastAt.current = data.at
    const push = (a: number[], v: number) => [...a, v].slice(-HISTORY)
    setHistory((h) => ({
      speed: push(h.speed, data.encode.speedSum),
      bytes: push(h.bytes, data.delivery.bytesPerSecond),
      queued: push(h.queued, data.queue.byState.QUEUED ?? 0),
      segments: push(h.segments, data.segments.ready),
    }))
  }, [data])

  return (
    <div data-testid="admin-overview">
      <PageTitle aside={<LiveDot connected={connected} />}>Health monitor</PageTitle>
      <ErrorNote error={error} />
      {!data ? (
        <p className="text-sm text-zinc-500">Loading…</p>
      ) : (
        <div className="space-y-5">
          <Alerts alerts={data.alerts} />
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-6">
            <Stat
              testId="stat-encode-rate"
              label="Encode rate"
              value={`${data.encode.speedSum.toFixed(2)}×`}
              sub={`${data.encode.running} running${data.encode.speedMean !== null ? ` · ${data.encode.speedMean.toFixed(2)}× each` : ''}`}
            >
              <Sparkline values={history.speed} label="Encode rate, last two minutes" />
            </Stat>
            <Stat testId="stat-segments" label="Segments" value={`${data.segments.ready} / ${data.segments.total}`} sub="ready across active sessions">
              <ProgressBar value={data.segments.total ? data.segments.ready / data.segments.total : 0} label="Segments ready" tone="emerald" />
            </Stat>
            <Stat testId="stat-queue" label="Queue" value={data.queue.byState.QUEUED ?? 0} sub={`${data.queue.ready} due · ${data.queue.delayed} in backoff`}>
              <Sparkline values={history.queued} label="Queued sessions, last two minutes" tone="#a855f7" />
            </Stat>
            <Stat
              testId="stat-bytes"
              label="Served"
              value={`${formatBytes(data.delivery.bytesPerSecond)}/s`}
              sub={`${formatBytes(data.delivery.bytesServedTotal)} since start`}
            >
              <Sparkline values={history.bytes} label="Bytes served per second, last two minutes" tone="#10b981" />
            </Stat>
            <Stat
              testId="stat-players"
              label="Players"
              value={data.players.connected}
              sub={`${data.players.starving} starving · ${data.players.meanBufferAheadMs !== null ? `${(data.players.meanBufferAheadMs / 1000).toFixed(1)} s` : '—'} buffered`}
            />
            <Stat
              testId="stat-disk"
              label="Disk used"
              value={data.disk ? formatBytes(data.disk.usedBytes) : '—'}
              sub={data.disk ? `${formatBytes(data.disk.freeBytes)} free` : 'unknown'}
            >
              {data.disk && (
                // The share df shows: used of what is usable (the blocks reserved for root count in neither).
                <ProgressBar
                  value={data.disk.usedBytes / Math.max(1, data.disk.usedBytes + data.disk.freeBytes)}
                  label="Disk used"
                  tone={data.alerts.some((a) => a.kind === 'disk_low') ? 'red' : 'blue'}
                />
              )}
            </Stat>
          </div>

          <div className="grid grid-cols-1 gap-5 xl:grid-cols-3">
            <Card title="Active sessions" className="xl:col-span-2" testId="active-sessions">
              <QueueChips byState={data.queue.byState} />
              {data.active.length === 0 ? (
                <p className="py-6 text-center text-sm text-zinc-500">Nothing is encoding.</p>
              ) : (
                <Table head={['Video', 'State', 'Progress', 'Speed', 'Segments', 'Worker', 'Last activity']}>
                  {data.active.map((s) => (
                    <tr key={s.id}>
                      <td className={td}>
                        <Link className="font-medium hover:underline" href={`/admin/sessions/${s.id}`}>
                          {s.title ?? s.id}
                        </Link>
                      </td>
                      <td className={td}>
                        <Badge value={s.state} />
                      </td>
                      <td className={cx(td, 'w-48')}>
                        <ProgressBar value={s.progress} label={`Progress of ${s.title ?? s.id}`} />
                      </td>
                      <td className={cx(td, 'tabular-nums')}>{s.encodeSpeed !== null ? `${s.encodeSpeed.toFixed(2)}×` : '—'}</td>
                      <td className={cx(td, 'tabular-nums')}>
                        {s.segmentsReady}/{s.segmentsTotal || '?'}
                      </td>
                      <td className={cx(td, 'max-w-40 truncate text-xs text-zinc-500')} title={s.worker ?? ''}>
                        {s.worker ?? '—'}
                      </td>
                      <td className={cx(td, 'text-xs text-zinc-500')}>{formatAgo(s.lastActivityAt)}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </Card>
            <Card title="Finished, last hour" testId="throughput">
              <Bars
                label="Sessions stored (green) and failed (red) per 5 minutes"
                data={data.throughput.map((b) => ({
                  a: b.stored,
                  b: b.failed,
                  title: `${new Date(b.start).toLocaleTimeString()}: ${b.stored} stored, ${b.failed} failed`,
                }))}
              />
              <p className="mt-2 text-xs text-zinc-500">
                <span className="text-emerald-600">■</span> stored · <span className="text-red-600">■</span> failed, per 5 minutes. {data.failures.recent}{' '}
                failed in the last 15 min, {data.failures.baseline} in the hour before.
              </p>
            </Card>
          </div>

          <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
            <Card
              title="Workers"
              testId="workers"
              actions={
                <Link className="text-xs text-rose-600 hover:underline" href="/admin/workers">
                  All workers
                </Link>
              }
            >
              {data.workers.length === 0 ? (
                <p className="py-4 text-center text-sm text-zinc-500">No worker has registered.</p>
              ) : (
                <ul className="space-y-3">
                  {data.workers.map((w) => (
                    <li key={w.id} className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1">
                      <span className="truncate text-sm font-medium" title={w.id}>
                        {w.host} <span className="text-xs text-zinc-500">pid {w.pid}</span>
                      </span>
                      <span className="flex gap-1">
                        <Badge value={w.live ? 'live' : 'offline'} />
                        {w.breakerOpen && <Badge value="FAILED" label="breaker open" />}
                      </span>
                      <div className="col-span-2 grid grid-cols-2 gap-4 text-xs text-zinc-500">
                        <span>
                          CPU {w.cpu.toFixed(0)}%
                          <ProgressBar value={Math.min(1, w.cpu / 100)} label={`CPU of ${w.host}`} />
                        </span>
                        <span>
                          Memory {formatBytes(w.rssBytes)}
                          <ProgressBar value={Math.min(1, w.rssBytes / (2 * 1024 ** 3))} label={`Memory of ${w.host} (of 2 GB)`} tone="emerald" />
                        </span>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
            <Card
              title="Players' buffer health"
              testId="players-health"
              actions={
                <Link className="text-xs text-rose-600 hover:underline" href="/admin/players">
                  Remote control
                </Link>
              }
            >
              {data.players.list.length === 0 ? (
                <p className="py-4 text-center text-sm text-zinc-500">No player is connected.</p>
              ) : (
                <ul className="space-y-2">
                  {data.players.list.slice(0, 8).map((p) => (
                    <li key={p.socketId} className="grid grid-cols-[minmax(0,10rem)_minmax(7rem,1fr)_auto] items-center gap-3 text-xs">
                      <span className="truncate" title={p.email}>
                        {p.email}
                      </span>
                      <ProgressBar
                        value={Math.min(1, (p.bufferedAheadMs ?? 0) / 20_000)}
                        label={`Buffered ahead by ${p.email}`}
                        tone={p.playing && (p.bufferedAheadMs ?? 0) < 2000 ? 'red' : 'emerald'}
                      />
                      <span className="text-zinc-500">{p.source ?? 'idle'}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </div>
        </div>
      )}
    </div>
  )
}

function Alerts({ alerts }: { alerts: OverviewData['alerts'] }) {
  if (alerts.length === 0) {
    return (
      <p
        data-testid="alerts-none"
        className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-300"
      >
        All clear: no alerts.
      </p>
    )
  }
  return (
    <ul className="space-y-2" data-testid="alerts">
      {alerts.map((a) => (
        <li
          key={a.id}
          data-kind={a.kind}
          className={cx(
            'flex items-start gap-2 rounded-lg border px-3 py-2 text-sm',
            a.severity === 'critical'
              ? 'border-red-300 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200'
              : 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200',
          )}
        >
          <span aria-hidden>{a.severity === 'critical' ? '⛔' : '⚠️'}</span>
          <span className="flex-1">{a.message}</span>
          {a.sessionId && (
            <Link className="underline" href={`/admin/sessions/${a.sessionId}`}>
              Open
            </Link>
          )}
        </li>
      ))}
    </ul>
  )
}

function QueueChips({ byState }: { byState: Record<string, number> }) {
  return (
    <div className="mb-3 flex flex-wrap gap-2" data-testid="queue-by-state">
      {Object.entries(byState).map(([state, n]) => (
        <Link key={state} href={`/admin/sessions?state=${state}`} className="rounded-full">
          <Badge value={state} label={`${state.toLowerCase()} ${n}`} />
        </Link>
      ))}
    </div>
  )
}
