import type { RoomHold, RoomMember } from '@/lib/realtime/protocol'

const STATE_STYLE: Record<RoomMember['state'], string> = {
  playing: 'bg-emerald-500',
  paused: 'bg-zinc-400',
  buffering: 'bg-amber-500 animate-pulse',
  waiting: 'bg-sky-500',
}

/** Drift as people read it: a sign, whole ms, seconds from 10 s on. */
export function formatDrift(ms: number): string {
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : '±'
  const abs = Math.abs(ms)
  return abs >= 10_000 ? `${sign}${(abs / 1000).toFixed(1)} s` : `${sign}${Math.round(abs)} ms`
}

/** The room's members with their state and drift, and who the room waits for. */
export function MemberList({ members, hold, me }: { members: RoomMember[]; hold: RoomHold | null; me: string }) {
  return (
    <section aria-labelledby="members-title" className="rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="members-title" className="mb-2 text-sm font-semibold">
        Watching <span className="font-normal text-zinc-500">({members.length})</span>
      </h2>
      {hold && (
        <p className="mb-2 rounded-md bg-amber-100 px-2 py-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200" role="status" data-testid="hold">
          Waiting for {hold.name} (at most {Math.max(0, Math.ceil((hold.until - Date.now()) / 1000))} s)…
        </p>
      )}
      <ul className="space-y-1" data-testid="members">
        {members.map((m) => (
          <li key={m.userId} className="flex min-w-0 items-center gap-2 text-sm" data-testid="member" data-state={m.state}>
            <span className={`h-2 w-2 shrink-0 rounded-full ${STATE_STYLE[m.state]}`} aria-hidden />
            <span className="min-w-0 flex-1 truncate">
              {m.name}
              {m.userId === me && <span className="text-zinc-500"> (you)</span>}
            </span>
            <span className="shrink-0 text-xs text-zinc-500">{m.state}</span>
            <span className="w-16 shrink-0 text-right font-mono text-xs tabular-nums" title="Drift from the room's timeline">
              {m.state === 'playing' ? formatDrift(m.driftMs) : '—'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
