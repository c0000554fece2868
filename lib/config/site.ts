import { type Env, env } from './env'

/** The site's public origin: NEXTAUTH_URL's, else where the web process listens. */
export const siteOrigin = (e: Env = env()): string => new URL(e.NEXTAUTH_URL ?? `http://${e.HOST}:${e.PORT}`).origin
