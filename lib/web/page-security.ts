// The Content-Security-Policy of our pages. Scripts run only from this origin or with the
// request's nonce (Next puts it on its own scripts and inline data), so an injected <script> or
// event handler does nothing. Media, workers and sockets stay on this origin too.

/** Pages other sites may frame (`frame-ancestors *`): path prefixes. The embed player goes here. */
export const EMBEDDABLE_PATH_PREFIXES: readonly string[] = ['/embed']

export const REFERRER_POLICY = 'strict-origin-when-cross-origin'

export interface PagePolicyInput {
  nonce: string
  pathname: string
  /** Host the browser addressed (for the socket.io WebSocket URL). */
  host: string | null
  /** Origins that serve media bytes besides this one (a separate media origin, a CDN). */
  mediaOrigins?: readonly string[]
  dev?: boolean
}

export const isEmbeddable = (pathname: string): boolean => EMBEDDABLE_PATH_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`))

/** A fresh, unguessable nonce for one response. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64')
}

export function contentSecurityPolicy(input: PagePolicyInput): string {
  const media = ["'self'", 'blob:', ...(input.mediaOrigins ?? [])]
  // 'self' covers same-origin WebSocket URLs in CSP 3; the explicit ws(s) origin covers older engines.
  const sockets = input.host ? [`ws://${input.host}`, `wss://${input.host}`] : []
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // React needs eval only for its development error overlay.
    'script-src': ["'self'", `'nonce-${input.nonce}'`, ...(input.dev ? ["'unsafe-eval'"] : [])],
    // Inline styles: server-rendered style attributes (progress bars, the player) and the styles
    // video.js and the API reference inject. Styles cannot run code.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'blob:', 'data:', ...(input.mediaOrigins ?? [])],
    'font-src': ["'self'", 'data:'],
    // The player plays MediaSource blob: URLs; video.js's transmuxer runs in a blob: worker.
    'media-src': media,
    'worker-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", ...sockets, ...(input.mediaOrigins ?? [])],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': [isEmbeddable(input.pathname) ? '*' : "'self'"],
  }
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ')
}
