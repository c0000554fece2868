'use client'

import type { ButtonHTMLAttributes, ReactNode } from 'react'

// Small presentational pieces shared by the admin pages: cards, badges, progress bars, sparklines.

export const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(' ')

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let i = 0
  let v = n
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${s % 60}s`
  return `${Math.floor(m / 60)}h ${m % 60}m`
}

export function formatAgo(iso: string | number | null | undefined, now = Date.now()): string {
  if (iso === null || iso === undefined) return '—'
  const t = typeof iso === 'number' ? iso : Date.parse(iso)
  const s = Math.max(0, Math.round((now - t) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`
  return new Date(t).toLocaleDateString()
}

const STATE_STYLES: Record<string, string> = {
  QUEUED: 'bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-700',
  STARTING: 'bg-sky-50 text-sky-700 ring-sky-200 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-900',
  RUNNING: 'bg-blue-50 text-blue-700 ring-blue-200 dark:bg-blue-950 dark:text-blue-300 dark:ring-blue-900',
  COMPLETED: 'bg-indigo-50 text-indigo-700 ring-indigo-200 dark:bg-indigo-950 dark:text-indigo-300 dark:ring-indigo-900',
  STORED: 'bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900',
  FAILED: 'bg-red-50 text-red-700 ring-red-200 dark:bg-red-950 dark:text-red-300 dark:ring-red-900',
  CANCELLED: 'bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-900',
  SUCCEEDED: 'bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900',
  PENDING: 'bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-700',
  SENDING: 'bg-blue-50 text-blue-700 ring-blue-200 dark:bg-blue-950 dark:text-blue-300 dark:ring-blue-900',
  ready: 'bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900',
  processing: 'bg-blue-50 text-blue-700 ring-blue-200 dark:bg-blue-950 dark:text-blue-300 dark:ring-blue-900',
  failed: 'bg-red-50 text-red-700 ring-red-200 dark:bg-red-950 dark:text-red-300 dark:ring-red-900',
  live: 'bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900',
  offline: 'bg-zinc-100 text-zinc-500 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-400 dark:ring-zinc-700',
}

export function Badge({ value, label, testId }: { value: string; label?: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-value={value}
      className={cx(
        'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap',
        STATE_STYLES[value] ?? STATE_STYLES.QUEUED,
      )}
    >
      {label ?? value}
    </span>
  )
}

export function ProgressBar({ value, label, tone = 'blue' }: { value: number; label?: string; tone?: 'blue' | 'emerald' | 'red' | 'amber' }) {
  const pct = Math.max(0, Math.min(100, value * 100))
  const bar = { blue: 'bg-blue-500', emerald: 'bg-emerald-500', red: 'bg-red-500', amber: 'bg-amber-400' }[tone]
  return (
    <div className="flex items-center gap-2" title={label ?? `${pct.toFixed(0)}%`}>
      <div
        className="h-2 w-full min-w-16 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-label={label}
      >
        <div className={cx('h-full rounded-full transition-[width] duration-500', bar)} style={{ width: `${pct}%` }} />
      </div>
      <span className="w-10 text-right text-xs tabular-nums text-zinc-500">{pct.toFixed(0)}%</span>
    </div>
  )
}

/** The bar colour for a session state. */
export const stateTone = (state: string): 'blue' | 'emerald' | 'red' | 'amber' =>
  state === 'FAILED' ? 'red' : state === 'STORED' ? 'emerald' : state === 'CANCELLED' ? 'amber' : 'blue'

/** A line chart of recent values, scaled to its own maximum; plain SVG. */
export function Sparkline({ values, height = 36, tone = '#2563eb', label }: { values: number[]; height?: number; tone?: string; label: string }) {
  const w = 160
  const max = Math.max(1e-9, ...values)
  const pts = values.map((v, i) => `${values.length < 2 ? w : (i / (values.length - 1)) * w},${height - 2 - (v / max) * (height - 4)}`)
  return (
    <svg viewBox={`0 0 ${w} ${height}`} preserveAspectRatio="none" className="h-9 w-full" role="img" aria-label={label}>
      {values.length > 0 && (
        <>
          <polyline points={`0,${height} ${pts.join(' ')} ${w},${height}`} fill={tone} fillOpacity={0.12} stroke="none" />
          <polyline points={pts.join(' ')} fill="none" stroke={tone} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
        </>
      )}
    </svg>
  )
}

/** Stacked bars (e.g. stored vs failed per time bucket), oldest left, with a light baseline grid. */
export function Bars({ data, label }: { data: { a: number; b: number; title: string }[]; label: string }) {
  const h = 100
  const max = Math.max(1, ...data.map((d) => d.a + d.b))
  const bw = 100 / Math.max(1, data.length)
  return (
    <div>
      <svg viewBox={`0 0 100 ${h}`} preserveAspectRatio="none" className="h-28 w-full" role="img" aria-label={label}>
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={100} y1={h * f} y2={h * f} stroke="currentColor" strokeOpacity={0.08} vectorEffect="non-scaling-stroke" />
        ))}
        <line x1={0} x2={100} y1={h - 0.5} y2={h - 0.5} stroke="currentColor" strokeOpacity={0.2} vectorEffect="non-scaling-stroke" />
        {data.map((d, i) => {
          const ha = (d.a / max) * (h - 4)
          const hb = (d.b / max) * (h - 4)
          return (
            <g key={d.title}>
              <title>{d.title}</title>
              <rect x={i * bw + bw * 0.15} width={bw * 0.7} y={h - ha} height={ha} fill="#10b981" />
              <rect x={i * bw + bw * 0.15} width={bw * 0.7} y={h - ha - hb} height={hb} fill="#ef4444" />
            </g>
          )
        })}
      </svg>
      <div className="mt-1 flex justify-between text-[10px] text-zinc-500">
        <span>−60 min</span>
        <span>−30 min</span>
        <span>now · max {max}</span>
      </div>
    </div>
  )
}

export function Card({
  title,
  children,
  actions,
  className,
  testId,
}: {
  title?: ReactNode
  children: ReactNode
  actions?: ReactNode
  className?: string
  testId?: string
}) {
  return (
    // min-w-0: as a grid or flex item a card may shrink below its table's width (the table scrolls inside).
    <section
      data-testid={testId}
      className={cx('min-w-0 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900', className)}
    >
      {(title || actions) && (
        <header className="mb-3 flex items-center justify-between gap-2">
          {title && <h2 className="text-sm font-semibold text-zinc-700 dark:text-zinc-200">{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  )
}

export function Stat({ label, value, sub, children, testId }: { label: string; value: ReactNode; sub?: ReactNode; children?: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {sub && <p className="text-xs text-zinc-500">{sub}</p>}
      {children && <div className="mt-2">{children}</div>}
    </div>
  )
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { tone?: 'default' | 'primary' | 'danger'; size?: 'sm' | 'md' }

export function Button({ tone = 'default', size = 'sm', className, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={cx(
        'inline-flex items-center justify-center gap-1 rounded-md font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 disabled:cursor-not-allowed disabled:opacity-50',
        size === 'sm' ? 'px-2.5 py-1 text-xs' : 'px-3.5 py-2 text-sm',
        tone === 'primary' && 'bg-rose-600 text-white hover:bg-rose-500',
        tone === 'danger' && 'border border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950',
        tone === 'default' &&
          'border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800',
        className,
      )}
    />
  )
}

export const inputClass =
  'rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-rose-500 focus:outline-none focus:ring-1 focus:ring-rose-500 dark:border-zinc-700 dark:bg-zinc-950'

export function Table({ head, children, empty, testId }: { head: ReactNode[]; children: ReactNode; empty?: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0 overflow-x-auto rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <table className="min-w-full text-sm" data-testid={testId}>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-left text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:bg-zinc-950">
          <tr>
            {head.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: static header cells
              <th key={i} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
      {empty}
    </div>
  )
}

export const td = 'px-3 py-2 align-middle'

export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
      {error}
    </p>
  )
}

export function LiveDot({ connected }: { connected: boolean }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-500" data-testid="live-indicator" data-connected={connected}>
      <span className={cx('h-2 w-2 rounded-full', connected ? 'animate-pulse bg-emerald-500' : 'bg-amber-500')} />
      {connected ? 'Live' : 'Polling'}
    </span>
  )
}

export function PageTitle({ children, aside }: { children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="mb-5 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-xl font-semibold tracking-tight">{children}</h1>
      {aside}
    </div>
  )
}

/** Total count and Newer/Older buttons over a stack of cursors (paginated admin tables). */
export function CursorPager({
  total,
  noun,
  cursors,
  setCursors,
  nextCursor,
  testId,
}: {
  total: number | null
  noun: string
  cursors: string[]
  setCursors: (update: (c: string[]) => string[]) => void
  nextCursor: string | null | undefined
  testId?: string
}) {
  return (
    <div className="mt-3 flex items-center justify-between text-sm text-zinc-500">
      <span data-testid={testId}>{total === null ? '' : `${total} ${noun}${total === 1 ? '' : 's'}`}</span>
      <span className="flex gap-2">
        <Button disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          ← Newer
        </Button>
        <Button disabled={!nextCursor} onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}>
          Older →
        </Button>
      </span>
    </div>
  )
}
