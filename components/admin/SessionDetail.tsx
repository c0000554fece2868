'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useRef, useState } from 'react'
import type { getSessionDetail } from '@/lib/admin/sessions'
import { eventDetails } from './event-details'
import { api, useLiveResource } from './live'
import { Badge, Button, Card, cx, ErrorNote, formatAgo, formatBytes, formatDuration, inputClass, LiveDot, ProgressBar, stateTone } from './ui'

type Detail = Awaited<ReturnType<typeof getSessionDetail>>

const ACTIVE = ['QUEUED', 'STARTING', 'RUNNING', 'COMPLETED']
const EVENT_TONE: Record<string, string> = {
  TranscodeFailed: 'bg-red-500',
  SessionCancelled: 'bg-amber-500',
  TranscodeCompleted: 'bg-emerald-500',
  SessionStored: 'bg-emerald-600',
  SessionQueued: 'bg-zinc-400',
  SessionRetrying: 'bg-amber-400',
  SessionStarted: 'bg-sky-500',
}

/** One session: status, health, timeline, FFmpeg log tail and the admin actions, updated live. */
export function SessionDetail({ id }: { id: string }) {
  const router = useRouter()
  const { data, error, connected, reload } = useLiveResource<Detail>(`/api/v1/admin/sessions/${id}`, {
    onEvent: (ev) => ev.sessionId === id,
  })
  const [actionError, setActionError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [confirm, setConfirm] = useState<'cancel' | 'delete' | null>(null)
  const [profiles, setProfiles] = useState<{ name: string; height: number }[]>([])
  const [profile, setProfile] = useState('')

  useEffect(() => {
    api<{ items: { name: string; height: number }[] }>('/api/v1/admin/profiles')
      .then((r) => {
        setProfiles(r.items)
        setProfile((p) => p || r.items[0]?.name || '')
      })
      .catch(() => {})
  }, [])

  const act = async (name: string, fn: () => Promise<unknown>) => {
    setBusy(name)
    setActionError(null)
    setConfirm(null)
    try {
      await fn()
      await reload()
    } catch (err) {
      setActionError((err as Error).message)
    } finally {
      setBusy(null)
    }
  }

  if (!data) {
    return (
      <div>
        <ErrorNote error={error} />
        {!error && <p className="text-sm text-zinc-500">Loading…</p>}
      </div>
    )
  }
  const s = data.session
  const h = data.health
  const active = ACTIVE.includes(s.state)
  const canRetry = ['FAILED', 'CANCELLED', 'STORED'].includes(s.state)

  return (
    <div className="space-y-5" data-testid="session-detail">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-xs text-zinc-500">
            <Link href="/admin/sessions" className="hover:underline">
              Sessions
            </Link>{' '}
            / <span className="font-mono">{s.id}</span>
          </p>
          <h1 className="mt-1 flex items-center gap-3 text-xl font-semibold tracking-tight">
            {s.video?.title ?? 'Session'}
            <Badge value={s.state} testId="session-state" />
          </h1>
        </div>
        <LiveDot connected={connected} />
      </div>
      <ErrorNote error={error} />

      <Card title="Actions" testId="session-actions">
        <div className="flex flex-wrap items-center gap-2">
          <Button tone="primary" disabled={!canRetry || !!busy} onClick={() => act('retry', () => api(`/api/v1/sessions/${id}/retry`, { method: 'POST' }))}>
            {busy === 'retry' ? 'Retrying…' : 'Retry'}
          </Button>
          {confirm === 'cancel' ? (
            <Button tone="danger" disabled={!!busy} onClick={() => act('cancel', () => api(`/api/v1/sessions/${id}/cancel`, { method: 'POST' }))}>
              Confirm cancel
            </Button>
          ) : (
            <Button tone="danger" disabled={!active || !!busy} onClick={() => setConfirm('cancel')}>
              Cancel
            </Button>
          )}
          <span className="mx-2 h-5 w-px bg-zinc-200 dark:bg-zinc-700" aria-hidden />
          <label className="text-xs text-zinc-500" htmlFor="reencode-profile">
            Re-encode up to
          </label>
          <select id="reencode-profile" className={inputClass} value={profile} onChange={(e) => setProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
          <Button
            disabled={!canRetry || !profile || !!busy}
            onClick={() => act('reencode', () => api(`/api/v1/admin/sessions/${id}/reencode`, { method: 'POST', json: { profile } }))}
          >
            {busy === 'reencode' ? 'Queuing…' : 'Re-encode'}
          </Button>
          <span className="mx-2 h-5 w-px bg-zinc-200 dark:bg-zinc-700" aria-hidden />
          {confirm === 'delete' ? (
            <Button
              tone="danger"
              disabled={!!busy}
              onClick={() =>
                act('delete', async () => {
                  await api(`/api/v1/admin/sessions/${id}`, { method: 'DELETE' })
                  router.push('/admin/sessions')
                })
              }
            >
              Confirm delete
            </Button>
          ) : (
            <Button tone="danger" disabled={active || !!busy} onClick={() => setConfirm('delete')}>
              Delete
            </Button>
          )}
          {confirm && (
            <Button disabled={!!busy} onClick={() => setConfirm(null)}>
              Keep
            </Button>
          )}
        </div>
        <div className="mt-3">
          <ErrorNote error={actionError} />
        </div>
      </Card>

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-3">
        <Card title="Status" testId="session-status">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
            <dt className="text-zinc-500">Progress</dt>
            <dd>
              <ProgressBar value={s.state === 'STORED' ? 1 : s.progress} tone={stateTone(s.state)} label="Session progress" />
            </dd>
            <dt className="text-zinc-500">Segments</dt>
            <dd className="tabular-nums">
              {s.segmentsReady} / {s.segmentsTotal || '?'}
            </dd>
            <dt className="text-zinc-500">Speed</dt>
            <dd className="tabular-nums">{s.encodeSpeed !== null ? `${s.encodeSpeed.toFixed(2)}× realtime` : '—'}</dd>
            <dt className="text-zinc-500">Attempt</dt>
            <dd className="tabular-nums" data-testid="session-attempt">
              {s.attempt} of {s.maxAttempts}
            </dd>
            <dt className="text-zinc-500">Profile</dt>
            <dd>{s.profile ?? 'default ladder'}</dd>
            <dt className="text-zinc-500">Created</dt>
            <dd>{formatAgo(s.createdAt)}</dd>
            <dt className="text-zinc-500">Run time</dt>
            <dd>{formatDuration(s.durationMs)}</dd>
            {s.error && (
              <>
                <dt className="text-zinc-500">Error</dt>
                <dd className="text-red-600" data-testid="session-error">
                  {s.error}
                </dd>
              </>
            )}
          </dl>
        </Card>
        <Card title="Health" testId="session-health">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
            <dt className="text-zinc-500">Stalled</dt>
            <dd>{h.stalled ? <Badge value="FAILED" label="no progress" /> : 'no'}</dd>
            <dt className="text-zinc-500">Last event</dt>
            <dd>{formatAgo(h.lastEventAt)}</dd>
            <dt className="text-zinc-500">Lease</dt>
            <dd className="truncate" title={h.lease.owner ?? ''}>
              {h.lease.owner ? `${h.lease.owner}, until ${h.lease.expiresAt ? new Date(h.lease.expiresAt).toLocaleTimeString() : '—'}` : 'none'}
            </dd>
            <dt className="text-zinc-500">Worker</dt>
            <dd>{h.worker ? `${h.worker.host} pid ${h.worker.pid} · CPU ${h.worker.cpu.toFixed(0)}% · ${formatBytes(h.worker.rssBytes)}` : '—'}</dd>
            <dt className="text-zinc-500">Fallback</dt>
            <dd>{h.fallback ? 'lower top rung' : 'no'}</dd>
          </dl>
        </Card>
        <Card title="Videos" testId="session-videos">
          <p className="mb-2 font-mono text-[11px] break-all text-zinc-500">{s.contentHash}</p>
          <ul className="space-y-1 text-sm">
            {data.videos.map((v) => (
              <li key={v.id} className="flex items-center justify-between gap-2">
                <Link href={`/videos/${v.id}`} className="truncate hover:underline">
                  {v.title}
                </Link>
                <span className="text-xs text-zinc-500">{v.visibility.toLowerCase()}</span>
              </li>
            ))}
            {data.videos.length === 0 && <li className="text-zinc-500">No video uses this content any more.</li>}
          </ul>
        </Card>
      </div>

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
        <Card title={`Timeline (${data.events.length})`} testId="session-timeline">
          <ol className="max-h-[28rem] space-y-2 overflow-y-auto pr-1 text-sm">
            {[...data.events].reverse().map((e) => (
              <li key={e.id} className="grid grid-cols-[auto_1fr_auto] items-start gap-2" data-event-type={e.type}>
                <span className={cx('mt-1.5 h-2 w-2 rounded-full', EVENT_TONE[e.type] ?? 'bg-blue-400')} aria-hidden />
                <span>
                  <span className="font-medium">{e.type}</span>
                  {Object.keys(e.data).length > 0 && (
                    <dl className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-500" data-testid="event-details">
                      {eventDetails(e.data).map((d) => (
                        <div key={d.label} className="flex gap-1">
                          <dt>{d.label}</dt>
                          <dd className="font-medium break-all text-zinc-700 tabular-nums dark:text-zinc-300">{d.value}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                </span>
                <time className="text-xs whitespace-nowrap text-zinc-500" dateTime={e.createdAt} title={e.createdAt}>
                  {new Date(e.createdAt).toLocaleTimeString()}
                </time>
              </li>
            ))}
            {data.events.length === 0 && <li className="text-zinc-500">No events yet.</li>}
          </ol>
        </Card>
        <LogTail id={id} active={active} state={s.state} />
      </div>
    </div>
  )
}

/** What an empty log means depends on where the session is: the encoder writes its log when it ends. */
function emptyLogText(state: string): string {
  if (state === 'QUEUED') return 'No log yet: the session waits for a worker.'
  if (state === 'STARTING' || state === 'RUNNING') return 'FFmpeg is running: its log is written when this attempt ends.'
  return 'No log: FFmpeg has not run for this content.'
}

/** The last 16 KB of the FFmpeg log, refreshed every few seconds while the session runs. */
function LogTail({ id, active, state }: { id: string; active: boolean; state: string }) {
  const [text, setText] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const pre = useRef<HTMLPreElement>(null)
  useEffect(() => {
    let stop = false
    const load = () =>
      fetch(`/api/v1/sessions/${id}/logs?bytes=16384`, { credentials: 'same-origin' })
        .then(async (r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`)
          const t = await r.text()
          if (!stop) {
            setText(t)
            setError(null)
          }
        })
        .catch((e: Error) => !stop && setError(e.message))
    void load()
    const t = active ? setInterval(load, 3000) : undefined
    return () => {
      stop = true
      if (t) clearInterval(t)
    }
  }, [id, active])
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the text changes
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight
  }, [text])
  return (
    <Card
      title="FFmpeg log (tail)"
      testId="session-log"
      actions={
        <a className="text-xs text-rose-600 hover:underline" href={`/api/v1/sessions/${id}/logs?bytes=1048576`} target="_blank" rel="noreferrer">
          Full log
        </a>
      }
    >
      <ErrorNote error={error} />
      <pre ref={pre} className="max-h-[28rem] overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed text-zinc-200">
        {text === null ? 'Loading…' : text || emptyLogText(state)}
      </pre>
    </Card>
  )
}
