import type { IncomingMessage, ServerResponse } from 'node:http'
import { isMediaHostRequest } from '@/lib/config/media-origin'
import { writeProblem } from '@/lib/streaming/http-server'

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

/**
 * On the MEDIA_ORIGIN host only media files are served: a page or API answered there would run
 * with that origin's rights and undo the point of a separate origin. Elsewhere it takes nothing.
 */
export function mediaHostOnly(serveMedia: Handler): Handler {
  return async (req, res) => {
    if (!isMediaHostRequest(req)) return false
    if (await serveMedia(req, res)) return true
    writeProblem(res, { type: 'about:blank', title: 'Not found', status: 404, code: 'NOT_FOUND', detail: 'This host serves media files only.' })
    return true
  }
}
