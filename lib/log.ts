import pino from 'pino'

// One structured logger; child loggers name the component (`log.child({ c: 'worker' })`).
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: undefined,
})
