import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { json } from '@/lib/api/route'
import { checkHealth, healthSchema } from './health'

export const systemApi = {
  getHealth: operation({
    method: 'get',
    path: '/api/v1/health',
    summary: 'Service health',
    tag: 'System',
    access: { auth: 'none', scope: null },
    success: { status: 200, description: 'Healthy (503 with the same body when the database is down).', schema: healthSchema },
    handle: async () => {
      const health = await checkHealth()
      return json(health, { status: health.db === 'ok' ? 200 : 503 })
    },
  }),

  getOpenApiDocument: operation({
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    tag: 'System',
    access: { auth: 'none', scope: null },
    success: { status: 200, description: 'The OpenAPI 3.1 document.', schema: z.record(z.string(), z.unknown()) },
    handle: async () => {
      // Imported when asked for: the document is built from the registry that lists this module.
      const { openApiDocument } = await import('@/lib/openapi/document')
      return json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' } })
    },
  }),

  getMetrics: operation({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    description:
      'Requests, bytes served, sessions by state, queue depth, encode speed, workers, webhook deliveries and socket.io clients in the Prometheus text format.',
    tag: 'System',
    access: { auth: 'metrics', scope: null },
    success: { status: 200, description: 'Metrics.', schema: z.string(), contentType: 'text/plain; version=0.0.4' },
  }),
}
