import pino from 'pino'
import { env } from '@/lib/config/env'

// One structured logger; child loggers name the component (`log.child({ c: 'worker' })`).
export const log = pino({
  level: env().LOG_LEVEL ?? (env().NODE_ENV === 'test' ? 'warn' : 'info'),
  base: undefined,
})
