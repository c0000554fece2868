import { z } from 'zod'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { streamingConfig } from '@/lib/config/streaming'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { cancelRun, requeueFinished } from './lifecycle'
import { findVisibleSession } from './queries'
import { FINISHED_STATES, isFinished } from './states'

// What admins may do to a session: cancel, retry, re-encode, delete. The moves are the lifecycle's;
// this module checks who asks and what they ask for.

export const reencodeInput = z
  .object({ profile: z.string().min(1).max(32).meta({ description: 'Name of the top rung to encode up to (see `profiles` in the streaming config).' }) })
  .strict()
  .meta({ id: 'ReencodeInput' })

const assertMayControl = async (actor: Actor, id: string) => {
  const session = await findVisibleSession(actor, id)
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'Only admins may control sessions.')
  return session
}

const requireAdmin = (actor: Actor) => {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'Admins only.')
}

/** Stops a queued or running session; the worker holding it kills FFmpeg at once. */
export async function cancelSession(actor: Actor, id: string) {
  await assertMayControl(actor, id)
  return cancelRun(id, actor.email)
}

/** Puts a failed or cancelled session (or a stored one, to re-encode) back in the queue as a fresh run. */
export async function retrySession(actor: Actor, id: string, opts: { profile?: string } = {}) {
  await assertMayControl(actor, id)
  return requeueFinished(id, actor.email, opts)
}

/** Names of the encoding profiles a re-encode may choose (highest first). */
export function encodingProfiles(): { name: string; width: number; height: number; bitrate: number }[] {
  return streamingConfig().profiles.map(({ name, width, height, bitrate }) => ({ name, width, height, bitrate }))
}

/** Encodes the content again (a stored, failed or cancelled session), up to the chosen profile. */
export async function reencodeSession(actor: Actor, id: string, input: z.infer<typeof reencodeInput>) {
  requireAdmin(actor)
  const names = encodingProfiles().map((p) => p.name)
  if (!names.includes(input.profile)) {
    throw new AppError('INVALID_INPUT', `Unknown profile "${input.profile}".`, { errors: [{ path: 'profile', message: `one of ${names.join(', ')}` }] })
  }
  return retrySession(actor, id, { profile: input.profile })
}

/** Removes a finished session and its events. Active ones must be cancelled first. */
export async function deleteSession(actor: Actor, id: string): Promise<void> {
  requireAdmin(actor)
  const session = await findVisibleSession(actor, id)
  if (!isFinished(session.state)) throw new AppError('CONFLICT', `The session is ${session.state}: cancel it first.`)
  // The state condition is in the DELETE itself, so a retry landing in between is not deleted.
  const { count } = await db.transcodeSession.deleteMany({ where: { id, state: { in: [...FINISHED_STATES] } } })
  if (count === 0) throw new AppError('CONFLICT', 'The session changed state: reload and try again.')
}
