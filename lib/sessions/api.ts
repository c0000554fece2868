import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { idParams } from '@/lib/api/params'
import { cancelSession, retrySession } from './actions'
import { listSessions, listSessionsQuery, sessionPage } from './list'
import { findVisibleSession, logsQuery, sessionHealth, sessionLogTail, sessionStatus } from './queries'
import { sessionHealthSchema, sessionStatusSchema } from './schemas'

export const sessionsApi = {
  listSessions: operation({
    method: 'get',
    path: '/api/v1/sessions',
    summary: 'List transcode sessions',
    description: "Sessions of the caller's videos (admins: all), newest first, filterable.",
    tag: 'Sessions',
    access: { scope: 'read' },
    query: listSessionsQuery,
    success: { status: 200, description: 'One page.', schema: sessionPage },
    handle: ({ actor, query }) => listSessions(actor, query),
  }),

  getSessionStatus: operation({
    method: 'get',
    path: '/api/v1/sessions/{id}/status',
    summary: 'Session status',
    tag: 'Sessions',
    access: { scope: 'read', resource: 'session' },
    params: idParams,
    success: { status: 200, description: 'The status.', schema: sessionStatusSchema },
    handle: async ({ actor, params }) => sessionStatus(await findVisibleSession(actor, params.id)),
  }),

  getSessionHealth: operation({
    method: 'get',
    path: '/api/v1/sessions/{id}/health',
    summary: 'Session health',
    description: 'Status plus encode speed, segments, lease, worker and whether it stalled.',
    tag: 'Sessions',
    access: { scope: 'read', resource: 'session' },
    params: idParams,
    success: { status: 200, description: 'The health.', schema: sessionHealthSchema },
    handle: async ({ actor, params }) => sessionHealth(await findVisibleSession(actor, params.id)),
  }),

  getSessionLogs: operation({
    method: 'get',
    path: '/api/v1/sessions/{id}/logs',
    summary: 'FFmpeg log tail',
    tag: 'Sessions',
    access: { scope: 'read', resource: 'session' },
    params: idParams,
    query: logsQuery,
    success: { status: 200, description: 'The last bytes of the log (empty before the first run).', schema: z.string(), contentType: 'text/plain' },
    handle: async ({ actor, params, query }) => {
      const session = await findVisibleSession(actor, params.id)
      return new Response(await sessionLogTail(session, query.bytes), {
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      })
    },
  }),

  retrySession: operation({
    method: 'post',
    path: '/api/v1/sessions/{id}/retry',
    summary: 'Retry a session',
    description: 'Puts a failed, cancelled or stored session back in the queue as a fresh run.',
    tag: 'Sessions',
    access: { scope: 'admin', admin: true, resource: 'session' },
    params: idParams,
    success: { status: 200, description: 'The queued session.', schema: sessionStatusSchema },
    errors: [409],
    handle: async ({ actor, params }) => sessionStatus(await retrySession(actor, params.id)),
  }),

  cancelSession: operation({
    method: 'post',
    path: '/api/v1/sessions/{id}/cancel',
    summary: 'Cancel a session',
    description: 'Stops a queued or running session; the worker kills FFmpeg at once.',
    tag: 'Sessions',
    access: { scope: 'admin', admin: true, resource: 'session' },
    params: idParams,
    success: { status: 200, description: 'The cancelled session.', schema: sessionStatusSchema },
    errors: [409],
    handle: async ({ actor, params }) => sessionStatus(await cancelSession(actor, params.id)),
  }),
}
