import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { MEDIA_SECURITY_HEADERS } from '@/lib/streaming/media-headers'
import { contentInfo, contentInfoSchema, hashParams } from './info'

// Content info is answered by Next; the stored files themselves by the media server before Next
// (their operations have no handler).

const FILE_DESCRIPTION =
  "Served with RFC 9110 ranges (`Range`, `If-Range`, `If-None-Match`, HEAD). Private content needs the owner's session or API key, an admin, or the token-carrying URL from a playback token (`/api/v1/content/{hash}/t/{token}/…`). Types are decided by the server, never by the uploader: an `original` not recognised as an accepted video container is `application/octet-stream` with `Content-Disposition: attachment`. Every response carries `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox; default-src 'none'`."

const contentFile = (file: string, summary: string) =>
  operation({
    method: 'get',
    path: `/api/v1/content/{hash}/${file}`,
    summary,
    description: FILE_DESCRIPTION,
    tag: 'Content',
    access: { scope: null, anonymous: true, resource: 'content' },
    params: hashParams,
    success: { status: 200, description: 'The file (206 for a range).', schema: z.string().meta({ format: 'binary' }), contentType: '*/*' },
    errors: [416],
  })

export const contentApi = {
  getContent: operation({
    method: 'get',
    path: '/api/v1/content/{hash}',
    summary: 'Content info',
    description: 'Probe facts, renditions and sizes of stored bytes, for whoever may view a video made of them.',
    tag: 'Content',
    access: { scope: 'read', anonymous: true, resource: 'content' },
    params: hashParams,
    success: { status: 200, description: 'The content.', schema: contentInfoSchema },
    responseHeaders: MEDIA_SECURITY_HEADERS,
    handle: ({ actor, params }) => contentInfo(actor, params.hash),
  }),

  getContentInfo: operation({
    method: 'get',
    path: '/api/v1/content/{hash}/info',
    summary: 'Content info (alias)',
    tag: 'Content',
    access: { scope: 'read', anonymous: true, resource: 'content' },
    params: hashParams,
    success: { status: 200, description: 'The content.', schema: contentInfoSchema },
    responseHeaders: MEDIA_SECURITY_HEADERS,
    handle: ({ actor, params }) => contentInfo(actor, params.hash),
  }),

  getContentOriginal: contentFile('original', 'Original file'),
  getContentHls: contentFile('master.m3u8', 'HLS master playlist'),
  getContentDash: contentFile('manifest.mpd', 'DASH manifest'),

  getContentHlsWithToken: operation({
    method: 'get',
    path: '/api/v1/content/{hash}/t/{token}/master.m3u8',
    summary: 'HLS master playlist (token URL)',
    description:
      'The same files as under `/api/v1/content/{hash}/`, opened by a playback token in the path (every file: `original`, `manifest.mpd`, `master.m3u8`, `media_<id>.m3u8`, `streams/<id>/…`, `thumbs/…`).',
    tag: 'Content',
    access: { auth: 'token', scope: null, resource: 'content' },
    params: hashParams.extend({ token: z.string() }),
    success: { status: 200, description: 'The playlist.', schema: z.string(), contentType: 'application/vnd.apple.mpegurl' },
    errors: [403],
  }),
}
