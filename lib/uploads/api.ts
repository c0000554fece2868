import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { createDirectUpload, createDirectUploadInput, directUploadView } from './direct'

// Direct upload URLs are created by Next; the tus requests themselves are answered by the tus
// server before Next (their operations have no handler).

const tusHeaders = z.object({ 'Tus-Resumable': z.literal('1.0.0') })

export const uploadsApi = {
  createDirectUpload: operation({
    method: 'post',
    path: '/api/v1/uploads',
    summary: 'Create a direct upload URL',
    description:
      "Returns a tus endpoint that anyone holding it may upload one file to, without other credentials, until `expiresAt` (like Mux and Cloudflare Stream direct uploads). Hand it to a browser or device; the video belongs to the caller. The result arrives as a `video.ready` webhook; the final tus response also carries `Reelhouse-Video-Id`.\n\nThe same path is the caller's own tus 1.0 creation endpoint when the request carries `Tus-Resumable: 1.0.0` (metadata `title`, `description`, `visibility`, `filename`; a `filetype` is ignored: the type is recognised from the bytes), answered by the tus server.",
    tag: 'Uploads',
    access: { scope: 'write' },
    body: { schema: createDirectUploadInput, required: false },
    success: { status: 201, description: 'The upload URL.', schema: directUploadView },
    handle: ({ req, actor, body }) => createDirectUpload(actor, body, new URL(req.url).origin),
  }),

  startDirectUpload: operation({
    method: 'post',
    path: '/api/v1/uploads/direct/{token}',
    summary: 'Start a direct upload (tus creation)',
    description:
      'The `uploadUrl` of a direct upload. tus 1.0 creation: send `Upload-Length` (or `Upload-Defer-Length`) and optional `Upload-Metadata`; the `Location` answered is where to PATCH the bytes. One URL creates one upload (409 after).',
    tag: 'Uploads',
    access: { auth: 'token', scope: null, resource: 'directUpload', protocol: 'tus' },
    params: z.object({ token: z.string() }),
    headers: tusHeaders.extend({ 'Upload-Length': z.string().meta({ description: 'Total size in bytes.' }) }),
    success: { status: 201, description: 'Created.', headers: { Location: { description: 'The upload URL for PATCH and HEAD.', schema: { type: 'string' } } } },
    errors: [409, 413],
  }),

  getUploadOffset: operation({
    method: 'head',
    path: '/api/v1/uploads/{uploadId}',
    summary: 'Upload offset (tus HEAD)',
    description: 'How many bytes of a resumable upload the server has (`Upload-Offset`), to resume after an interruption.',
    tag: 'Uploads',
    access: { scope: 'write', resource: 'upload', protocol: 'tus' },
    params: z.object({ uploadId: z.string() }),
    headers: tusHeaders,
    success: { status: 200, description: 'The offset.', headers: { 'Upload-Offset': { description: 'Bytes received.', schema: { type: 'integer' } } } },
  }),

  appendUpload: operation({
    method: 'patch',
    path: '/api/v1/uploads/{uploadId}',
    summary: 'Append bytes (tus PATCH)',
    description: 'Body `application/offset+octet-stream` from `Upload-Offset`. The request completing the upload answers `Reelhouse-Video-Id`.',
    tag: 'Uploads',
    access: { scope: 'write', resource: 'upload', protocol: 'tus' },
    params: z.object({ uploadId: z.string() }),
    headers: tusHeaders.extend({ 'Upload-Offset': z.string() }),
    body: { schema: z.string().meta({ format: 'binary' }), contentType: 'application/offset+octet-stream' },
    success: {
      status: 204,
      description: 'Stored.',
      headers: {
        'Upload-Offset': { description: 'Bytes received.', schema: { type: 'integer' } },
        'Reelhouse-Video-Id': { description: 'On the request that completed the upload.', schema: { type: 'string' } },
      },
    },
    errors: [409, 413],
  }),
}
