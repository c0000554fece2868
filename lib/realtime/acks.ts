import { z } from 'zod'
import { AppError } from '@/lib/errors'
import { log } from '@/lib/log'
import { type ErrorAck, invalidInput } from './protocol'

/** Any failure as the error body of an ack; internal errors are logged and hidden. */
export function errorAck(err: unknown): ErrorAck {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } }
  if (err instanceof z.ZodError) return invalidInput(err)
  log.error({ c: 'realtime', err }, 'realtime handler failed')
  return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong.' } }
}

/** Socket.io hands whatever the peer sent as the last argument; only a function is an ack. */
export const ackOf = <T>(ack: unknown): ((a: T) => void) => (typeof ack === 'function' ? (ack as (a: T) => void) : () => {})
