import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { idParams, resourceId } from '@/lib/api/params'
import { itemsOf } from '@/lib/api/pagination'
import { historyItemSchema, historyQuery, listHistory } from './list'
import { clearHistory, removeFromHistory, saveProgress } from './progress'
import { saveProgressInput } from './schemas'

const videoIdParams = z.object({ videoId: resourceId })

export const historyApi = {
  saveProgress: operation({
    method: 'put',
    path: '/api/v1/videos/{id}/progress',
    summary: 'Save where I am in a video',
    description:
      'The player reports its position every few seconds and when it pauses or closes; reopening the video resumes there. Part of watching, so a `read` key may do it.',
    tag: 'History',
    access: { scope: 'read', resource: 'video' },
    params: idParams,
    body: { schema: saveProgressInput },
    success: { status: 204, description: 'Saved; no body.' },
    handle: ({ actor, params, body }) => saveProgress(actor, params.id, body),
  }),

  listHistory: operation({
    method: 'get',
    path: '/api/v1/me/history',
    summary: 'My watch history',
    description: 'Videos the caller has watched, most recent first, with where they left off. Only videos they may still watch are listed.',
    tag: 'History',
    access: { scope: 'read' },
    query: historyQuery,
    success: { status: 200, description: 'The history.', schema: itemsOf(historyItemSchema, 'History') },
    handle: async ({ actor, query }) => ({ items: await listHistory(actor, query) }),
  }),

  clearHistory: operation({
    method: 'delete',
    path: '/api/v1/me/history',
    summary: 'Clear my watch history',
    description: 'Forgets every saved position: no video resumes afterwards.',
    tag: 'History',
    access: { scope: 'write' },
    success: { status: 204, description: 'Done; no body.' },
    handle: ({ actor }) => clearHistory(actor),
  }),

  removeFromHistory: operation({
    method: 'delete',
    path: '/api/v1/me/history/{videoId}',
    summary: 'Remove a video from my watch history',
    description: 'Idempotent: a video not in the history (or unknown) answers 204 too, so the answer tells nothing about videos the caller cannot see.',
    tag: 'History',
    access: { scope: 'write' },
    params: videoIdParams,
    success: { status: 204, description: 'Done; no body.' },
    handle: ({ actor, params }) => removeFromHistory(actor, params.videoId),
  }),
}
