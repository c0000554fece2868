import { type Actor, isAdmin } from '@/lib/auth/actor'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { publishEvent } from '@/lib/queue/events'
import { CANCEL_CHANNEL, WAKE_CHANNEL } from '@/lib/queue/channels'
import { transition } from '@/lib/queue/state'
import { enqueueSessionOutcome } from '@/lib/webhooks/events'
import { findVisibleSession } from './queries'



const assertMayControl = async (actor: Actor, id: string) => {
  const session = await findVisibleSession(actor, id)
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'Only admins may control sessions.')
  return session
}

/** Stops a queued or running session; the worker holding it kills FFmpeg at once. */
export async function cancelSession(actor: Actor, id: string) {
  const session = await assertMayControl(actor, id)
  const updated = await transition(id, 'CANCELLED', { finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null, error: 'cancelled by an admin' }, { from: ['QUEUED', 'STARTING', 'RUNNING'] })
  await db.content.update({ where: { hash: session.contentHash }, data: { state: 'FAILED', error: 'processing was cancelled' } })
  await db.$executeRaw`SELECT pg_notify(${CANCEL_CHANNEL}, ${id})`
  await publishEvent(id, session.contentHash, 'SessionCancelled', { by: actor.email })
  await enqueueSessionOutcome(id)
  return updated
}

/** Puts a failed or cancelled session (or a stored one, to re-encode) back in the queue as a fresh run. */
export async function retrySession(actor: Actor, id: string, opts: { profile?: string } = {}) {
  const session = await assertMayControl(actor, id)
  const updated = await transition(
    id,
    'QUEUED',
    { attempt: 0, runAt: new Date(), error: null, progress: 0, segmentsReady: 0, fallback: false, finishedAt: null, leaseOwner: null, leaseExpiresAt: null, profile: opts.profile ?? session.profile },
    { from: ['FAILED', 'CANCELLED', 'STORED'] },
  )
  await db.content.update({ where: { hash: session.contentHash }, data: { state: 'PROCESSING', error: null } })
  await publishEvent(id, session.contentHash, 'SessionQueued', { by: actor.email, retry: true })
  await db.$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`)
  return updated
}
