import net from 'node:net'
import { base } from '../api/client'

/** One POST to next-auth's credentials endpoint with a fresh CSRF token and cookie, as the sign-in form sends it. */
export async function postCredentials(url: string, form: { email: string; password: string }, headers: Record<string, string> = {}): Promise<Response> {
  const csrf = await fetch(`${url}/api/auth/csrf`)
  const { csrfToken } = (await csrf.json()) as { csrfToken: string }
  const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0])
  return fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; '), ...headers },
    body: new URLSearchParams({ ...form, csrfToken, json: 'true' }),
  })
}

/** Signs in through next-auth's own credentials endpoint, as the sign-in form does; returns the Cookie header value. */
export async function signInCookie(email: string, password: string): Promise<string> {
  const res = await postCredentials(base(), { email, password }, { origin: base() })
  const session = res.headers.getSetCookie().find((c) => c.includes('next-auth.session-token='))
  if (!session) throw new Error(`sign-in as ${email} failed: ${res.status}`)
  return session.split(';')[0]
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends one request exactly as written (request target and headers untouched), which fetch
 * cannot do for targets such as `*` or `/%`, and reads the response until the server closes.
 */
export function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(base())
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.setTimeout(30_000, () => socket.destroy(new Error(`no answer to ${method} ${target}`)))
    socket.on('data', (c) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head, ...rest] = text.split('\r\n\r\n')
      const [statusLine, ...lines] = head.split('\r\n')
      const status = Number(statusLine.split(' ')[1])
      if (!status) return reject(new Error(`no HTTP response to ${method} ${target}: ${JSON.stringify(text.slice(0, 200))}`))
      const h: Record<string, string> = {}
      for (const l of lines) {
        const i = l.indexOf(':')
        h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
      }
      const raw = rest.join('\r\n\r\n')
      resolve({ status, headers: h, body: h['transfer-encoding'] === 'chunked' ? dechunk(raw) : raw })
    })
    const all = { host: `${hostname}:${port}`, connection: 'close', ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers }
    socket.write(
      `${method} ${target} HTTP/1.1\r\n${Object.entries(all)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n${body}`,
    )
  })
}

function dechunk(raw: string): string {
  let out = ''
  let rest = raw
  for (;;) {
    const eol = rest.indexOf('\r\n')
    const size = Number.parseInt(rest.slice(0, eol), 16)
    if (!size) return out
    out += rest.slice(eol + 2, eol + 2 + size)
    rest = rest.slice(eol + 2 + size + 2)
  }
}
