// The web process: one HTTP server hosting Next.js and socket.io on the same port.
import { startWebServer } from '@/lib/web/start'

startWebServer().catch((err) => {
  console.error(`reelhouse web: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
})
