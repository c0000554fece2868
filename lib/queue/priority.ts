// The priority lane: which session a busy worker lets jump in front of the one it runs, and when the
// one it paused goes on. Pure decisions over facts the runner gathers, so each rule is unit tested;
// the numbers live with the rest of the job policy (PRIORITY_POLICY in policy.ts).

export type Lane = 'startup' | 'normal'

export interface PriorityPolicy {
  /** Media a preempting session encodes alone before a watched paused one shares the CPU again. */
  startupLeadMs: number
  /** An upload this recent counts as "just uploaded" (someone is likely about to open it). */
  freshUploadMs: number
  /** However long the preempting encode is, the paused one continues after this (no starvation). */
  maxPauseMs: number
}

/** A queued session as the claim sees it. */
export interface QueuedFacts {
  createdAt: Date
  /** Its content has never been stored: nothing of it plays but its growing playlists. */
  firstEncode: boolean
  /** Viewers waiting for it now (players polling the unfinished video). */
  viewers: number
}

/**
 * The start-up lane: the first encode of an upload that someone waits for, or that was just
 * uploaded. Re-encodes of stored content (which plays meanwhile) are never in it.
 */
export function laneOf(s: QueuedFacts, now: Date, policy: PriorityPolicy): Lane {
  if (!s.firstEncode) return 'normal'
  return s.viewers > 0 || now.getTime() - s.createdAt.getTime() <= policy.freshUploadMs ? 'startup' : 'normal'
}

/** A session the worker runs, as the runner tracks it. */
export interface RunningFacts {
  /** Its FFmpeg encode is under way (probe, previews and validation are short and never paused). */
  encoding: boolean
  /** Media encoded so far. */
  encodedMs: number
  /** Total media, when known. */
  durationMs: number | null
}

/** Whether a running session has its own start-up part already (or is so short that it nearly has it all). */
export function hasStartupLead(r: RunningFacts, policy: PriorityPolicy): boolean {
  return r.encodedMs >= policy.startupLeadMs || (r.durationMs !== null && r.encodedMs >= r.durationMs)
}

/**
 * Whether to pause `running` for a start-up-lane session: only while it encodes, never before it
 * has its own start-up lead (two fresh uploads in a row each get their first minutes of playback),
 * and one paused session per worker at most (the caller checks that).
 */
export function shouldPreempt(running: RunningFacts, candidate: Lane, policy: PriorityPolicy): boolean {
  return candidate === 'startup' && running.encoding && hasStartupLead(running, policy)
}

/**
 * Whether the paused session goes on now. When the preempting one is done, always. Before that:
 * when someone watches the paused one, as soon as the preempting one has its start-up lead (both
 * then share the CPU); in any case after maxPauseMs.
 */
export function shouldResume(
  paused: { viewers: number; pausedMs: number },
  preempting: (RunningFacts & { done: boolean }) | null,
  policy: PriorityPolicy,
): boolean {
  if (!preempting || preempting.done) return true
  if (paused.pausedMs >= policy.maxPauseMs) return true
  return paused.viewers > 0 && hasStartupLead(preempting, policy)
}
