import { AppError } from '@/lib/errors'
import { z } from 'zod'
import { db, type Prisma } from '@/lib/db'
import type { Actor } from './actor'

// How a user appears over the API: to admins in the user list, to everyone as `GET /users/me`.

export const userView = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(['USER', 'ADMIN']),
    disabled: z.boolean(),
    createdAt: z.iso.datetime(),
    videoCount: z.int().optional(),
    apiKeyCount: z.int().optional(),
  })
  .meta({ id: 'User' })
export type UserView = z.infer<typeof userView>

export const meView = userView.extend({ scopes: z.array(z.enum(['read', 'write', 'admin'])), via: z.enum(['session', 'apiKey']) }).meta({ id: 'Me' })

type Row = Prisma.UserGetPayload<{ include: { _count: { select: { videos: true; apiKeys: true } } } }>
/** The public shape of a user row (counts when the row carries them). */
export const userViewOf = (u: Omit<Row, '_count'> & { _count?: Row['_count'] }): UserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt.toISOString(),
  ...(u._count ? { videoCount: u._count.videos, apiKeyCount: u._count.apiKeys } : {}),
})

/** The caller: the user behind the session or API key, with the key's scopes. */
export async function getMe(actor: Actor): Promise<z.infer<typeof meView>> {
  // Guests exist on the watch-together socket only; they are nobody here.
  if (actor.via === 'guest') throw new AppError('UNAUTHENTICATED', 'Sign in or send an API key.')
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId } })
  return { ...userViewOf(user), scopes: actor.scopes, via: actor.via === 'apiKey' ? 'apiKey' : 'session' }
}
