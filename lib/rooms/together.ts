import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Actor } from '@/lib/auth/actor'
import { isAdmin } from '@/lib/auth/actor'
import { signGuestToken } from '@/lib/auth/guest'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { canViewRoom, requireRead, requireWrite, roomAccessSelect } from './access'
import { type JoinRoomInput, joinRoomInput } from './schemas'

export interface GuestPass {
  roomId: string
  name: string
  /** For the /player socket's handshake (`auth: { guest }`). */
  guestToken: string
}

// Watch-together rooms: the invite link, and joining with it. A member joins once (a row in
// RoomMember) and stays one when the owner rotates or revokes the invite; the invite only gates
// new joins.

/** 144 random bits, URL-safe. */
export const newInviteToken = (): string => randomBytes(18).toString('base64url')

/** The page a member opens: the room's watch page carrying the invite. */
export const joinUrlFor = (roomId: string, invite: string): string => `/watch/${encodeURIComponent(roomId)}?invite=${encodeURIComponent(invite)}`

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The room when the actor owns it (or is an admin); personal rooms have no invite. */
async function ownedShareableRoom(actor: Actor, roomId: string) {
  const room = await db.room.findUnique({ where: { id: roomId }, select: roomAccessSelect(actor) })
  if (!room || room.personal || !canViewRoom(actor, room)) throw new AppError('NOT_FOUND', 'No such room.')
  if (room.ownerId !== actor.userId && !isAdmin(actor)) throw new AppError('FORBIDDEN', 'Only the room owner may manage its invite.')
  return room
}

/** A new invite link; the previous one stops admitting anyone. */
export async function rotateInvite(actor: Actor, roomId: string): Promise<{ roomId: string; joinUrl: string }> {
  requireWrite(actor)
  await ownedShareableRoom(actor, roomId)
  const inviteToken = newInviteToken()
  await db.room.update({ where: { id: roomId }, data: { inviteToken } })
  return { roomId, joinUrl: joinUrlFor(roomId, inviteToken) }
}

/** No link admits anyone any more; members stay members. */
export async function revokeInvite(actor: Actor, roomId: string): Promise<void> {
  requireWrite(actor)
  await ownedShareableRoom(actor, roomId)
  await db.room.update({ where: { id: roomId }, data: { inviteToken: null } })
}

/**
 * Makes the actor a member of a room with its invite (idempotent; the owner, admins and existing
 * members pass whatever they send). A wrong or revoked invite is FORBIDDEN; a missing room, or a
 * personal one, NOT_FOUND.
 */
export async function joinRoom(actor: Actor, roomId: string, input: JoinRoomInput): Promise<void> {
  requireRead(actor)
  const { invite } = joinRoomInput.parse(input)
  const room = await db.room.findUnique({ where: { id: roomId }, select: { ...roomAccessSelect(actor), inviteToken: true } })
  if (!room || (room.personal && !canViewRoom(actor, room))) throw new AppError('NOT_FOUND', 'No such room.')
  if (room.ownerId === actor.userId || isAdmin(actor) || room.members.length > 0) return
  if (!room.inviteToken || !sameSecret(room.inviteToken, invite))
    throw new AppError('FORBIDDEN', 'This invite is not valid (any more); ask the owner for a new link.')
  await db.roomMember.upsert({ where: { roomId_userId: { roomId, userId: actor.userId } }, create: { roomId, userId: actor.userId }, update: {} })
}

/**
 * An anonymous viewer with the invite of a together room that admits guests gets a guest pass;
 * without an account anywhere else, UNAUTHENTICATED (sign in); a wrong invite FORBIDDEN.
 */
export async function joinAsGuest(roomId: string, input: JoinRoomInput): Promise<GuestPass> {
  const { invite } = joinRoomInput.parse(input)
  const room = await db.room.findUnique({ where: { id: roomId }, select: { mode: true, guests: true, personal: true, inviteToken: true } })
  if (!room || room.personal || room.mode !== 'together' || !room.guests) throw new AppError('UNAUTHENTICATED', 'Sign in to join this room.')
  if (!room.inviteToken || !sameSecret(room.inviteToken, invite))
    throw new AppError('FORBIDDEN', 'This invite is not valid (any more); ask the owner for a new link.')
  const grant = await signGuestToken(roomId)
  return { roomId, name: grant.name, guestToken: grant.token }
}
