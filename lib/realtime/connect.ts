import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import { NAMESPACES } from './protocol'

// Socket factories for the browser (and tests, and the bench). WebSocket first: long-polling
// adds a request per message and would put commands behind media requests on the same origin.

export type ConnectOptions = Partial<ManagerOptions & SocketOptions> & {
  /** An API key for non-browser clients; browsers authenticate with the session cookie. */
  token?: string
}

function connect(namespace: string, baseUrl: string | undefined, opts: ConnectOptions): Socket {
  const { token, ...rest } = opts
  const url = baseUrl ? new URL(namespace, baseUrl).toString() : namespace
  return io(url, {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    withCredentials: true,
    ...(token ? { auth: { token } } : {}),
    ...rest,
  })
}

/** A socket for the /player namespace; `baseUrl` defaults to the page's origin. */
export const connectPlayerSocket = (baseUrl?: string, opts: ConnectOptions = {}): Socket => connect(NAMESPACES.player, baseUrl, opts)

/** A socket for the /admin namespace (refused unless the user is an admin). */
export const connectAdminSocket = (baseUrl?: string, opts: ConnectOptions = {}): Socket => connect(NAMESPACES.admin, baseUrl, opts)

/** A random session id for personal rooms (works outside secure contexts, unlike randomUUID). */
export function newClientId(): string {
  const bytes = new Uint8Array(12)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
