import { db, type Prisma, type SessionState, type TranscodeSession } from '@/lib/db'
import { AppError } from '@/lib/errors'

// The session state machine. Every move goes through `transition`, which re-reads the row
// under a lock in the same transaction and refuses moves the table below does not allow.
export const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  QUEUED: ['STARTING', 'CANCELLED', 'FAILED'],
  STARTING: ['RUNNING', 'QUEUED', 'FAILED', 'CANCELLED'],
  RUNNING: ['COMPLETED', 'QUEUED', 'FAILED', 'CANCELLED'],
  COMPLETED: ['STORED', 'QUEUED', 'FAILED'],
  STORED: ['QUEUED'],
  FAILED: ['QUEUED'],
  CANCELLED: ['QUEUED'],
}

export const ACTIVE_STATES: readonly SessionState[] = ['STARTING', 'RUNNING', 'COMPLETED']
export const canMove = (from: SessionState, to: SessionState): boolean => TRANSITIONS[from].includes(to)

type Tx = Prisma.TransactionClient

export async function transition(
  id: string,
  to: SessionState,
  data: Prisma.TranscodeSessionUpdateInput = {},
  opts: { from?: readonly SessionState[]; leaseOwner?: string; tx?: Tx } = {},
): Promise<TranscodeSession> {
  const run = async (tx: Tx) => {
    const rows = await tx.$queryRaw<{ state: SessionState; leaseOwner: string | null }[]>`
      SELECT state, "leaseOwner" FROM "TranscodeSession" WHERE id = ${id} FOR UPDATE`
    const row = rows[0]
    if (!row) throw new AppError('NOT_FOUND', 'No such session.')
    if (opts.from && !opts.from.includes(row.state)) {
      throw new AppError('CONFLICT', `Session is ${row.state}, expected ${opts.from.join(' or ')}.`)
    }
    if (opts.leaseOwner && row.leaseOwner !== opts.leaseOwner) {
      throw new AppError('CONFLICT', 'This worker no longer holds the session lease.')
    }
    if (!canMove(row.state, to)) throw new AppError('CONFLICT', `A ${row.state} session cannot become ${to}.`)
    return tx.transcodeSession.update({ where: { id }, data: { ...data, state: to } })
  }
  return opts.tx ? run(opts.tx) : db.$transaction(run)
}
