import { z } from 'zod'

// The health monitor's alert rules, as a pure function of facts the overview gathers, so the
// thresholds are tested without a database.

export const ALERT_THRESHOLDS = {
  /** An active session without a new event for this long is "without progress". */
  stalledAfterMs: 60_000,
  /** Disk is low below this many free bytes, or below this share of the volume. */
  diskLowBytes: 5 * 1024 ** 3,
  diskLowRatio: 0.05,
  /** Failure rate rising: at least this many failures in the recent window... */
  failureMinCount: 3,
  /** ...and more than this multiple of the rate in the preceding baseline window. */
  failureRiseFactor: 2,
  recentWindowMs: 15 * 60_000,
  baselineWindowMs: 60 * 60_000,
} as const

export const alertSchema = z
  .object({
    id: z.string().meta({ description: 'Stable per condition (and session or worker), so clients can track it.' }),
    kind: z.enum(['session_stalled', 'breaker_open', 'disk_low', 'no_worker', 'failure_rate']),
    severity: z.enum(['warning', 'critical']),
    message: z.string(),
    sessionId: z.string().optional(),
    workerId: z.string().optional(),
  })
  .meta({ id: 'Alert' })
export type Alert = z.infer<typeof alertSchema>

export interface AlertFacts {
  now: number
  activeSessions: { id: string; lastActivityAt: number; title?: string | null }[]
  liveWorkers: { id: string; breakerOpen: boolean; breakerReason: string | null }[]
  queued: number
  disk: { freeBytes: number; totalBytes: number } | null
  /** Failed sessions finished within the recent window, and within the baseline window before it. */
  failuresRecent: number
  failuresBaseline: number
}

const fmtGiB = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`

export function computeAlerts(f: AlertFacts, t: typeof ALERT_THRESHOLDS = ALERT_THRESHOLDS): Alert[] {
  const alerts: Alert[] = []
  if (f.liveWorkers.length === 0) {
    alerts.push({
      id: 'no_worker',
      kind: 'no_worker',
      severity: f.queued > 0 || f.activeSessions.length > 0 ? 'critical' : 'warning',
      message: f.queued > 0 ? `No live worker: ${f.queued} session(s) are waiting.` : 'No live worker: nothing will be transcoded.',
    })
  }
  for (const w of f.liveWorkers) {
    if (w.breakerOpen) {
      alerts.push({
        id: `breaker_open:${w.id}`,
        kind: 'breaker_open',
        severity: 'critical',
        workerId: w.id,
        message: `Circuit breaker open on ${w.id}${w.breakerReason ? `: ${w.breakerReason}` : ''}.`,
      })
    }
  }
  for (const s of f.activeSessions) {
    const idle = f.now - s.lastActivityAt
    if (idle > t.stalledAfterMs) {
      alerts.push({
        id: `session_stalled:${s.id}`,
        kind: 'session_stalled',
        severity: 'warning',
        sessionId: s.id,
        message: `Session ${s.title ? `"${s.title}" ` : ''}(${s.id}) has made no progress for ${Math.round(idle / 1000)} s.`,
      })
    }
  }
  if (f.disk) {
    const low = f.disk.freeBytes < t.diskLowBytes || (f.disk.totalBytes > 0 && f.disk.freeBytes / f.disk.totalBytes < t.diskLowRatio)
    if (low) {
      alerts.push({
        id: 'disk_low',
        kind: 'disk_low',
        severity: f.disk.freeBytes < t.diskLowBytes / 5 ? 'critical' : 'warning',
        message: `Disk low: ${fmtGiB(f.disk.freeBytes)} free of ${fmtGiB(f.disk.totalBytes)}.`,
      })
    }
  }
  // Compare rates per minute: the baseline window is longer than the recent one.
  const recentRate = f.failuresRecent / (t.recentWindowMs / 60_000)
  const baselineRate = f.failuresBaseline / (t.baselineWindowMs / 60_000)
  if (f.failuresRecent >= t.failureMinCount && recentRate > baselineRate * t.failureRiseFactor) {
    alerts.push({
      id: 'failure_rate',
      kind: 'failure_rate',
      severity: 'warning',
      message: `Failure rate rising: ${f.failuresRecent} failed in the last ${t.recentWindowMs / 60_000} min (baseline ${f.failuresBaseline} in the ${t.baselineWindowMs / 60_000} min before).`,
    })
  }
  return alerts
}
