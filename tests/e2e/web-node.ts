import type { ChildProcess } from 'node:child_process'
import { freePort } from '@/lib/db/embedded'
import { runChild, stopChild } from '@/lib/launcher/children'

// Another web process on the test database and build, with settings of its own (say, another
// REGISTRATION mode) — for behaviour the shared server's configuration does not show.

export interface WebNode {
  url: string
  stop: () => Promise<void>
}

export async function startWebNode(settings: Record<string, string>): Promise<WebNode> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = runChild('web', 'server.ts', {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXTAUTH_URL: url,
    REALTIME_PROCESS: '0',
    LOG_LEVEL: 'warn',
    ...settings,
  })
  const stop = () => stopChild(child)
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    if ((await fetch(`${url}/api/v1/health`).catch(() => null))?.status === 200) return { url, stop }
    await new Promise((r) => setTimeout(r, 500))
  }
  await stop()
  throw new Error(`the web node with ${JSON.stringify(settings)} did not start`)
}
