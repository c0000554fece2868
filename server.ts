// The web process: one HTTP server hosting Next.js and socket.io on the same port.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { metricsHandler, observeRequest, observeSocketServer, recordBytesServed } from '@/lib/metrics'
import { streamingConfig } from '@/lib/config/streaming'
import { mediaCorsPolicy } from '@/lib/config/media-origin'
import { contentStore } from '@/lib/content/store'
import { OpenResponses } from '@/lib/streaming/admission'
import { handleContentRequest } from '@/lib/streaming/http-server'
import { storeRedirectPolicy } from '@/lib/streaming/redirect'
import { createTusServer, tusRequestHandler } from '@/lib/uploads/tus'
import { authorizeContent, describeOriginal } from '@/lib/web/content-access'
import { mediaHostOnly } from '@/lib/web/media-host'
import { startWebServer } from '@/lib/web/start'

const tus = createTusServer()
const { delivery } = streamingConfig()
const openMediaResponses = new OpenResponses(delivery)
const corsPolicy = mediaCorsPolicy()

// Media bytes are answered here, before Next: Next's route-handler response path drops
// Content-Length (next/dist/server/send-response.js), and players need it exact.
const serveMedia = (req: IncomingMessage, res: ServerResponse) =>
  handleContentRequest(req, res, {
    authorize: authorizeContent,
    describeOriginal,
    store: contentStore(),
    redirect: storeRedirectPolicy(),
    delivery: { idleTimeoutMs: delivery.idleTimeoutS * 1000 },
    openResponses: openMediaResponses,
    cors: corsPolicy,
    onDone: (outcome, _target, bodyBytes) => {
      if (outcome === 'complete') recordBytesServed(bodyBytes)
    },
  })

startWebServer({
  preHandlers: [
    observeRequest, // counts every request; never takes one
    mediaHostOnly(serveMedia), // on the MEDIA_ORIGIN host: media files, nothing else
    metricsHandler, // GET /metrics (token or admin): counters live in this process, not Next's bundle
    serveMedia,
    // tus uploads stream many GB in PATCH requests; @tus/server speaks Node's http directly.
    tusRequestHandler(tus),
  ],
})
  .then(({ io }) => {
    observeSocketServer(io)
    // Abandoned resumable uploads are swept hourly (they expire after a day).
    setInterval(() => void tus.then((s) => s.cleanUpExpiredUploads()).catch(() => {}), 3600_000).unref()
  })
  .catch((err) => {
    console.error(`reelhouse web: ${err instanceof Error ? err.message : err}`)
    process.exit(1)
  })
