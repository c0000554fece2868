import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { itemsOf } from '@/lib/api/pagination'
import { idParams } from '@/lib/api/params'
import { json } from '@/lib/api/route'
import { createdInviteView, createInvite, createInviteInput, inviteView, listInvites, revokeInvite } from '@/lib/auth/invites'
import { createPasswordReset, passwordResetLinkView } from '@/lib/auth/password-resets'
import { originHeaders, publicSiteOrigin } from '@/lib/auth/same-origin'
import { deleteSession, encodingProfiles, reencodeInput, reencodeSession } from '@/lib/sessions/actions'
import { sessionRow } from '@/lib/sessions/list'
import { sessionStatus } from '@/lib/sessions/queries'
import { sessionHealthSchema, sessionStatusSchema } from '@/lib/sessions/schemas'
import { getOverview, listWorkers, overviewSchema, workerView } from './overview'
import { listConnectedPlayers, playerInfoSchema } from './players'
import { getSessionDetail, sessionEventView } from './sessions'
import { adminCreateUser, createUserInput, getUser, listUsers, listUsersQuery, updateUser, updateUserInput, userPage, userView } from './users'
import { adminVideoPage, listAllVideos, listAllVideosQuery } from './videos'

const admin = { scope: 'admin', admin: true } as const

export const adminApi = {
  getAdminOverview: operation({
    method: 'get',
    path: '/api/v1/admin/overview',
    summary: 'Health monitor',
    description: "Encode rate, segments, queue depth, workers, bytes served per second, players' buffer health, alerts.",
    tag: 'Admin',
    access: admin,
    success: { status: 200, description: 'A snapshot.', schema: overviewSchema },
    handle: () => getOverview(),
  }),

  listWorkers: operation({
    method: 'get',
    path: '/api/v1/admin/workers',
    summary: 'Workers',
    tag: 'Admin',
    access: admin,
    success: { status: 200, description: 'Every registered worker, live ones first.', schema: itemsOf(workerView, 'WorkerList') },
    handle: async () => ({ items: await listWorkers() }),
  }),

  listPlayers: operation({
    method: 'get',
    path: '/api/v1/admin/players',
    summary: 'Connected players',
    description: 'Control one with `POST /api/v1/rooms/{personalRoomId}/commands`, or live over the `/admin` socket.io namespace.',
    tag: 'Admin',
    access: admin,
    success: { status: 200, description: 'The players.', schema: itemsOf(playerInfoSchema, 'PlayerList') },
    handle: async () => ({ items: await listConnectedPlayers() }),
  }),

  listEncodingProfiles: operation({
    method: 'get',
    path: '/api/v1/admin/profiles',
    summary: 'Encoding profiles',
    tag: 'Admin',
    access: admin,
    success: {
      status: 200,
      description: 'The profiles a re-encode may choose, highest first.',
      schema: itemsOf(z.object({ name: z.string(), width: z.int(), height: z.int(), bitrate: z.int() }), 'ProfileList'),
    },
    handle: () => ({ items: encodingProfiles() }),
  }),

  listAllVideos: operation({
    method: 'get',
    path: '/api/v1/admin/videos',
    summary: 'All videos',
    description: 'Every video, private ones included, filterable. Change one with `PATCH /api/v1/videos/{id}`.',
    tag: 'Admin',
    access: admin,
    query: listAllVideosQuery,
    success: { status: 200, description: 'One page.', schema: adminVideoPage },
    handle: ({ actor, query }) => listAllVideos(actor, query),
  }),

  getSessionDetail: operation({
    method: 'get',
    path: '/api/v1/admin/sessions/{id}',
    summary: 'Session detail',
    tag: 'Admin',
    access: { ...admin, resource: 'session' },
    params: idParams,
    success: {
      status: 200,
      description: 'Summary, health, videos and the event timeline (oldest first).',
      schema: z
        .object({
          session: sessionRow,
          health: sessionHealthSchema,
          videos: z.array(z.object({ id: z.string(), title: z.string(), visibility: z.string(), ownerId: z.string() })),
          events: z.array(sessionEventView),
        })
        .meta({ id: 'SessionDetail' }),
    },
    handle: ({ actor, params }) => getSessionDetail(actor, params.id),
  }),

  deleteSession: operation({
    method: 'delete',
    path: '/api/v1/admin/sessions/{id}',
    summary: 'Delete a session',
    description: 'Only finished sessions (stored, failed, cancelled); cancel a running one first.',
    tag: 'Admin',
    access: { ...admin, resource: 'session' },
    params: idParams,
    success: { status: 204, description: 'Done; no body.' },
    errors: [409],
    handle: ({ actor, params }) => deleteSession(actor, params.id),
  }),

  reencodeSession: operation({
    method: 'post',
    path: '/api/v1/admin/sessions/{id}/reencode',
    summary: 'Re-encode with a profile',
    description: 'Queues the session again, encoding up to the chosen profile.',
    tag: 'Admin',
    access: { ...admin, resource: 'session' },
    params: idParams,
    body: { schema: reencodeInput },
    success: { status: 200, description: 'The queued session.', schema: sessionStatusSchema },
    errors: [409],
    handle: async ({ actor, params, body }) => sessionStatus(await reencodeSession(actor, params.id, body)),
  }),
}

/** Accounts, managed by admins (`GET /api/v1/users/me` is the caller's own, lib/auth/api.ts). */
export const userAdminApi = {
  listUsers: operation({
    method: 'get',
    path: '/api/v1/users',
    summary: 'List users',
    tag: 'Users',
    access: { scope: 'admin', admin: true },
    query: listUsersQuery,
    success: { status: 200, description: 'One page.', schema: userPage },
    handle: ({ actor, query }) => listUsers(actor, query),
  }),

  createUser: operation({
    method: 'post',
    path: '/api/v1/users',
    summary: 'Create a user',
    tag: 'Users',
    access: { scope: 'admin', admin: true },
    body: { schema: createUserInput },
    success: { status: 201, description: 'Created.', schema: userView },
    errors: [409],
    handle: async ({ actor, body }) => {
      const user = await adminCreateUser(actor, body)
      return json(user, { status: 201, headers: { location: `/api/v1/users/${user.id}` } })
    },
  }),

  getUser: operation({
    method: 'get',
    path: '/api/v1/users/{id}',
    summary: 'Get a user',
    tag: 'Users',
    access: { scope: 'admin', admin: true, resource: 'user' },
    params: idParams,
    success: { status: 200, description: 'The user.', schema: userView },
    handle: ({ actor, params }) => getUser(actor, params.id),
  }),

  updateUser: operation({
    method: 'patch',
    path: '/api/v1/users/{id}',
    summary: 'Change role, name or disable',
    description: 'A disabled user cannot sign in and their API keys stop working. Admins cannot demote or disable themselves.',
    tag: 'Users',
    access: { scope: 'admin', admin: true, resource: 'user' },
    params: idParams,
    body: { schema: updateUserInput },
    success: { status: 200, description: 'The user.', schema: userView },
    errors: [409],
    handle: ({ actor, params, body }) => updateUser(actor, params.id, body),
  }),

  createPasswordReset: operation({
    method: 'post',
    path: '/api/v1/users/{id}/password-reset',
    summary: 'Make a password reset link',
    description:
      "A one-time link (`/reset/{token}`) to hand to the user; it works for 24 hours and replaces earlier unused links. Using it sets a new password and ends the account's sessions.",
    tag: 'Users',
    access: { scope: 'admin', admin: true, resource: 'user' },
    params: idParams,
    success: { status: 201, description: 'The link, shown only here.', schema: passwordResetLinkView },
    handle: ({ req, actor, params }) => createPasswordReset(actor, params.id, publicSiteOrigin(originHeaders(req.headers))),
  }),

  listInvites: operation({
    method: 'get',
    path: '/api/v1/admin/invites',
    summary: 'List invite links',
    description: 'Newest first (at most 200), with their state; the links themselves are shown only when made.',
    tag: 'Users',
    access: { scope: 'admin', admin: true },
    success: { status: 200, description: 'The invites.', schema: itemsOf(inviteView, 'InviteList') },
    handle: async ({ actor }) => ({ items: await listInvites(actor) }),
  }),

  createInvite: operation({
    method: 'post',
    path: '/api/v1/admin/invites',
    summary: 'Make an invite link',
    description: 'A sign-up link (`/signup?invite=…`) that makes one account before it expires (with `REGISTRATION=invite`).',
    tag: 'Users',
    access: { scope: 'admin', admin: true },
    body: { schema: createInviteInput, required: false },
    success: { status: 201, description: 'The link, shown only here.', schema: createdInviteView },
    handle: ({ req, actor, body }) => createInvite(actor, body ?? {}, publicSiteOrigin(originHeaders(req.headers))),
  }),

  revokeInvite: operation({
    method: 'delete',
    path: '/api/v1/admin/invites/{id}',
    summary: 'Withdraw an invite link',
    description: 'An unused link stops working; it stays listed, marked revoked.',
    tag: 'Users',
    access: { scope: 'admin', admin: true, resource: 'invite' },
    params: idParams,
    success: { status: 204, description: 'Done; no body.' },
    handle: ({ actor, params }) => revokeInvite(actor, params.id),
  }),
}
