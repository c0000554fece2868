import type { ChildProcess } from 'node:child_process'
import type { TestProject } from 'vitest/node'
import { freePort } from '@/lib/db/embedded'
import { buildIfStale } from '@/lib/launcher/build'
import { runChild, stopChild } from '@/lib/launcher/children'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    adminEmail: string
    adminPassword: string
    /** The web process (server.ts), for checks on its processes. */
    webPid: number
    /** A site on another port whose pages may read private media (CORS_ORIGINS); nothing listens there until a test does. */
    partnerOrigin: string
  }
}

export const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' }

// The e2e project runs against the production build: web (server.ts) and worker as child
// processes on the test database, exactly as `npm start` runs them.
export default async function setup(project: TestProject) {
  await buildIfStale()
  process.env.NEXTAUTH_SECRET ??= 'e2e-secret-e2e-secret-e2e-secret'
  const { ensureAdmin } = await import('@/lib/auth/users')
  await ensureAdmin(ADMIN.email, ADMIN.password)
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const partnerOrigin = `http://127.0.0.1:${await freePort()}`
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXTAUTH_URL: baseUrl,
    LOG_LEVEL: 'warn',
    // The default webhook egress policy, plus one loopback address for the tests' receivers.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.2',
    CORS_ORIGINS: partnerOrigin,
  } as NodeJS.ProcessEnv
  const children: ChildProcess[] = [runChild('web', 'server.ts', env), runChild('worker', 'workers/transcoder.ts', env)]
  await waitForHealth(baseUrl)
  project.provide('baseUrl', baseUrl)
  project.provide('adminEmail', ADMIN.email)
  project.provide('adminPassword', ADMIN.password)
  project.provide('webPid', children[0].pid!)
  project.provide('partnerOrigin', partnerOrigin)
  return async () => {
    await Promise.all(children.map((c) => stopChild(c)))
    const { disconnectDb } = await import('@/lib/db')
    await disconnectDb()
  }
}

async function waitForHealth(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/api/v1/health`).then(
      async (r) => r.ok && (await r.json()).workers.length > 0,
      () => false,
    )
    if (ok) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server at ${baseUrl} did not become healthy`)
}
