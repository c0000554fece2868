import { cookies } from 'next/headers'
import type { Actor } from './actor'
import { actorFromCookies } from './current'

/** The signed-in actor for a server component or page (null when anonymous). */
export async function currentActor(): Promise<Actor | null> {
  const store = await cookies()
  const header = store
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ')
  return actorFromCookies(header)
}
