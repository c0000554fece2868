import { ContentState, SessionState } from '@/lib/generated/prisma/enums'

// The two state machines of a transcode: the session (a run of the worker) and its content (what
// viewers see). Pure data: lifecycle.ts checks every move against these tables inside the move's
// transaction; the schema's enums are the one list of states.

export { ContentState, SessionState }

export const SESSION_STATES = Object.values(SessionState)

/** States a worker holds under a lease (a lapsed lease lets another worker take the session over). */
export const LEASED_STATES = [SessionState.STARTING, SessionState.RUNNING, SessionState.COMPLETED] as const satisfies readonly SessionState[]

/** States no worker will touch again; only a retry or re-encode moves them (back to QUEUED). */
export const FINISHED_STATES = [SessionState.STORED, SessionState.FAILED, SessionState.CANCELLED] as const satisfies readonly SessionState[]

export const SESSION_TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  QUEUED: ['STARTING', 'CANCELLED', 'FAILED'],
  // STARTING from a leased state: another worker takes over a session whose lease lapsed.
  STARTING: ['STARTING', 'RUNNING', 'QUEUED', 'FAILED', 'CANCELLED'],
  RUNNING: ['STARTING', 'COMPLETED', 'QUEUED', 'FAILED', 'CANCELLED'],
  COMPLETED: ['STARTING', 'STORED', 'QUEUED', 'FAILED'],
  STORED: ['QUEUED'],
  FAILED: ['QUEUED'],
  CANCELLED: ['QUEUED'],
}

/**
 * Content follows its session: PROCESSING once a run starts or a retry is queued, STORED when a run
 * stored its outputs, FAILED when a run failed or was cancelled. Staying in a state is always allowed.
 */
export const CONTENT_TRANSITIONS: Record<ContentState, readonly ContentState[]> = {
  UPLOADED: ['PROCESSING', 'FAILED'],
  PROCESSING: ['STORED', 'FAILED'],
  STORED: ['PROCESSING'],
  FAILED: ['PROCESSING'],
}

export const isLeased = (s: SessionState): boolean => (LEASED_STATES as readonly SessionState[]).includes(s)
export const isFinished = (s: SessionState): boolean => (FINISHED_STATES as readonly SessionState[]).includes(s)
export const canMoveSession = (from: SessionState, to: SessionState): boolean => SESSION_TRANSITIONS[from].includes(to)
export const canMoveContent = (from: ContentState, to: ContentState): boolean => from === to || CONTENT_TRANSITIONS[from].includes(to)
