import type { ClaimGate, SessionHandler } from '@/lib/queue/runner'
import { transition } from '@/lib/queue/state'

// Placeholder until the media pipeline is wired in: claimed sessions fail with a clear reason.
export async function createSessionHandler(): Promise<{ handler: SessionHandler; gate: ClaimGate }> {
  const handler: SessionHandler = async (session) => {
    await transition(session.id, 'FAILED', { error: 'media pipeline not available in this build', leaseOwner: null })
  }
  return { handler, gate: { canClaim: () => true, beat: () => ({}) } }
}
