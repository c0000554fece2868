import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Server as SocketServer } from 'socket.io'
import { env } from '@/lib/config/env'
import { isAdmin } from '@/lib/auth/actor'
import { actorFromHeaders } from '@/lib/auth/current'
import { log } from '@/lib/log'
import { metricsRegistry } from './prometheus'
import { type RequestKind, recordRequest, setSocketClients } from './state'

// Node-level hooks for server.ts: they see every request (media bytes and tus included, which
// never reach Next), so /metrics is answered here rather than by a route handler.

export const METRICS_PATH = '/metrics'

const pathOf = (url: string | undefined) => (url ?? '/').split('?')[0]

function kindOf(req: IncomingMessage): RequestKind {
  const p = pathOf(req.url)
  if (p === METRICS_PATH) return 'metrics'
  if (p.startsWith('/socket.io/')) return 'socket'
  if (p.startsWith('/api/v1/uploads') && (req.headers['tus-resumable'] || req.method === 'OPTIONS')) return 'upload'
  if (/^\/api\/v1\/content\/[0-9a-f]{64}\/./.test(p) && !/\/info\/?$/.test(p)) return 'content'
  if (p.startsWith('/api/')) return 'api'
  if (p.startsWith('/_next/') || p.includes('.')) return 'other'
  return 'page'
}

/** A pre-handler that only observes: counts the request and its duration when the response ends. Never takes the request. */
export async function observeRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const started = process.hrtime.bigint()
  const kind = kindOf(req)
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    // A response closed before its headers went out was aborted by the client.
    recordRequest(req.method ?? 'GET', kind, res.headersSent ? res.statusCode : 499, seconds)
  })
  return false
}

function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function mayScrape(req: IncomingMessage): Promise<boolean> {
  const auth = req.headers.authorization ?? ''
  const token = env().METRICS_TOKEN
  if (token && auth.toLowerCase().startsWith('bearer ') && tokenMatches(auth.slice(7).trim(), token)) return true
  const actor = await actorFromHeaders({ authorization: req.headers.authorization, cookie: req.headers.cookie }).catch(() => null)
  return isAdmin(actor)
}

/**
 * Answers GET /metrics in the Prometheus text format for `Authorization: Bearer $METRICS_TOKEN`
 * or an admin (session or API key with the admin scope); 401 otherwise. False for other paths.
 */
export async function metricsHandler(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (pathOf(req.url) !== METRICS_PATH) return false
  const problem = (status: number, title: string, detail: string, extra: Record<string, string> = {}) => {
    const body = JSON.stringify({ type: 'about:blank', title, status, detail })
    res.writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...extra })
    res.end(body)
    return true
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return problem(405, 'Method not allowed', 'Use GET.', { allow: 'GET, HEAD' })
  if (!(await mayScrape(req))) {
    return problem(401, 'Authentication required', 'Send Authorization: Bearer <METRICS_TOKEN>, or sign in as an admin.', {
      'www-authenticate': 'Bearer realm="metrics"',
    })
  }
  try {
    const registry = metricsRegistry()
    const text = await registry.metrics()
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) })
    res.end(req.method === 'HEAD' ? undefined : text)
  } catch (err) {
    log.error({ err }, 'metrics collection failed')
    problem(500, 'Internal server error', 'Metrics collection failed.')
  }
  return true
}

/** Keeps the socket.io client gauges current for the given namespaces. */
export function observeSocketServer(
  io: SocketServer,
  namespaces: readonly string[] = ['/player', '/admin'],
  report: (n: number, namespace: string) => void = setSocketClients,
): void {
  for (const name of namespaces) {
    const nsp = io.of(name)
    const update = () => report(nsp.sockets.size, name)
    nsp.on('connection', (socket) => {
      update()
      socket.once('disconnect', () => setImmediate(update))
    })
    update()
  }
}
