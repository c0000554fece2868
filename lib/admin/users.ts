import { z } from 'zod'
import { type Actor, isAdmin } from '@/lib/auth/actor'
import { type UserView, userView, userViewOf } from '@/lib/auth/user-view'
import { createUser, createUserInput } from '@/lib/auth/users'
import { db, type Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { pageAfter } from '@/lib/api/pagination'
import { idString, plainText } from '@/lib/validation/text'

export { createUserInput, type UserView, userView }

export const userPage = z.object({ items: z.array(userView), nextCursor: z.string().nullable() }).meta({ id: 'UserPage' })

export const listUsersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: idString().optional(),
  q: plainText({ max: 200 }).optional(),
  role: z.enum(['USER', 'ADMIN']).optional(),
})
export type ListUsersQuery = z.infer<typeof listUsersQuery>

export const updateUserInput = z
  .object({
    role: z.enum(['USER', 'ADMIN']).optional(),
    disabled: z.boolean().meta({ description: 'A disabled user cannot sign in and their API keys stop working.' }).optional(),
    name: plainText({ max: 100 }).optional(),
  })
  .strict()
  .meta({ id: 'UpdateUserInput' })

const requireAdmin = (actor: Actor) => {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN', 'Admins only.')
}

export async function listUsers(actor: Actor, query: ListUsersQuery) {
  requireAdmin(actor)
  const where: Prisma.UserWhereInput = {
    ...(query.role ? { role: query.role } : {}),
    ...(query.q ? { OR: [{ email: { contains: query.q, mode: 'insensitive' } }, { name: { contains: query.q, mode: 'insensitive' } }] } : {}),
  }
  const rows = await db.user.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    ...(await pageAfter(query.cursor, (id) => db.user.count({ where: { AND: [where, { id }] } }))),
    include: { _count: { select: { videos: true, apiKeys: true } } },
  })
  const page = rows.slice(0, query.limit)
  return { items: page.map(userViewOf), nextCursor: rows.length > query.limit ? page[page.length - 1].id : null }
}

export async function getUser(actor: Actor, id: string): Promise<UserView> {
  requireAdmin(actor)
  const user = await db.user.findUnique({ where: { id }, include: { _count: { select: { videos: true, apiKeys: true } } } })
  if (!user) throw new AppError('NOT_FOUND', 'No such user.')
  return userViewOf(user)
}

export async function adminCreateUser(actor: Actor, input: z.input<typeof createUserInput>): Promise<UserView> {
  requireAdmin(actor)
  return userViewOf(await createUser(input))
}

/** Changes role, name or the disabled flag. Admins cannot demote or disable themselves (no lock-out). */
export async function updateUser(actor: Actor, id: string, input: z.infer<typeof updateUserInput>): Promise<UserView> {
  requireAdmin(actor)
  const user = await db.user.findUnique({ where: { id } })
  if (!user) throw new AppError('NOT_FOUND', 'No such user.')
  if (id === actor.userId && (input.disabled === true || input.role === 'USER')) {
    throw new AppError('CONFLICT', 'You cannot demote or disable your own account.')
  }
  const updated = await db.user.update({
    where: { id },
    data: input,
    include: { _count: { select: { videos: true, apiKeys: true } } },
  })
  return userViewOf(updated)
}
