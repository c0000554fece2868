import { isIPv4 } from 'node:net'
import { AppError } from '@/lib/errors/app-error'

export interface ConnectionCeilings {
  /** Open media responses at once, all clients together. */
  maxConnections: number
  /** Open media responses at once from one client address. */
  maxConnectionsPerClient: number
}

/** What a refused client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5

export type Refusal = 'server-full' | 'client-full'

/**
 * Counts open media responses, in total and per client address, against their ceilings: each
 * holds a file descriptor and up to one read piece, so their number bounds the memory and
 * descriptors the fast path can take, whatever clients do.
 */
export class OpenResponses {
  private total = 0
  private readonly byClient = new Map<string, number>()

  constructor(private readonly ceilings: ConnectionCeilings) {}

  /** A release function to call once when the response is over, or why it is refused. */
  admit(address: string): (() => void) | Refusal {
    if (this.total >= this.ceilings.maxConnections) return 'server-full'
    const mine = this.byClient.get(address) ?? 0
    if (mine >= this.ceilings.maxConnectionsPerClient) return 'client-full'
    this.total++
    this.byClient.set(address, mine + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.total--
      const left = (this.byClient.get(address) ?? 1) - 1
      if (left === 0) this.byClient.delete(address)
      else this.byClient.set(address, left)
    }
  }

  get open(): number {
    return this.total
  }
}

/** The peer address as one key per client: an IPv4 client seen through a dual-stack socket counts as itself. */
export function clientAddress(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? 'unknown'
  const mapped = address.startsWith('::ffff:') ? address.slice(7) : ''
  return isIPv4(mapped) ? mapped : address
}

/** The 503 a refused client gets (sent with `Retry-After: RETRY_AFTER_SECONDS`). */
export function refusalError(refusal: Refusal): AppError {
  const why = refusal === 'server-full' ? 'The server has too many open media connections.' : 'Too many open media connections from your address.'
  return new AppError('UNAVAILABLE', `${why} Retry shortly.`, { retryAfterSeconds: RETRY_AFTER_SECONDS })
}
