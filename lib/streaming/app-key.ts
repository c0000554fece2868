import { env } from '@/lib/config/env'
import { playbackKey } from '@/lib/streaming/tokens'

let key: Uint8Array | undefined

/** The playback-token key of this deployment, derived once from NEXTAUTH_SECRET. */
export function appPlaybackKey(): Uint8Array {
  key ??= playbackKey(env().NEXTAUTH_SECRET ?? '')
  return key
}
