import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { idParams } from '@/lib/api/params'
import { json } from '@/lib/api/route'
import { AppError } from '@/lib/errors'
import { maxUploadBytes } from '@/lib/uploads/config'
import { receiveMultipart } from '@/lib/uploads/multipart'
import { ingestUpload } from './ingest'
import { listVideos, listVideosQuery } from './list'
import { countView, deleteVideo, updateVideo, updateVideoInput } from './manage'
import { mintPlaybackToken, playbackTokenInput } from './playback-token'
import { choosePoster, posterChoiceInput, posterChoiceResult } from './poster'
import { playbackTokenSchema, uploadFormSchema, videoPageSchema, videoSchema } from './schemas'
import { getVideoView, noteWaitingViewer } from './view'

async function visibleVideo(actor: Parameters<typeof getVideoView>[0], id: string) {
  const view = await getVideoView(actor, id)
  if (!view) throw new AppError('NOT_FOUND', 'No such video.')
  return view
}

export const videosApi = {
  listVideos: operation({
    method: 'get',
    path: '/api/v1/videos',
    summary: 'List videos',
    description: "Newest (or most viewed) first, with cursor pagination and search in title and description. Lists public videos and the caller's own.",
    tag: 'Videos',
    access: { scope: 'read', anonymous: true },
    query: listVideosQuery,
    success: { status: 200, description: 'One page.', schema: videoPageSchema },
    handle: ({ actor, query }) => listVideos(actor, query),
  }),

  uploadVideo: operation({
    method: 'post',
    path: '/api/v1/videos',
    summary: 'Upload a video in one request',
    description: 'For small files. Large files should use tus (`/api/v1/uploads`) or a direct upload URL.',
    tag: 'Videos',
    access: { scope: 'write' },
    body: { schema: uploadFormSchema, contentType: 'multipart/form-data' },
    success: {
      status: 201,
      description: 'Created; processing starts at once (`status: processing`).',
      schema: videoSchema,
      headers: { Location: { description: 'The new video.', schema: { type: 'string' } } },
    },
    errors: [400, 413, 415],
    handle: async ({ req, actor }) => {
      const { tempPath, hash, size, fields } = await receiveMultipart(req, await maxUploadBytes())
      // Validates the fields before the bytes are committed; on any failure nothing is kept.
      const result = await ingestUpload({ ownerId: actor.userId, tempPath, hash, size, metadata: fields })
      const view = await getVideoView(actor, result.videoId)
      return json({ ...view, deduplicated: result.deduplicated }, { status: 201, headers: { location: `/api/v1/videos/${result.videoId}` } })
    },
  }),

  getVideo: operation({
    method: 'get',
    path: '/api/v1/videos/{id}',
    summary: 'Get a video',
    description: 'Public and unlisted videos are open to anyone with the id; private ones to their owner and admins.',
    tag: 'Videos',
    access: { scope: 'read', anonymous: true, resource: 'video' },
    params: idParams,
    success: { status: 200, description: 'The video with its playback URLs.', schema: videoSchema },
    handle: async ({ actor, params }) => {
      const view = await visibleVideo(actor, params.id)
      await noteWaitingViewer(actor, view)
      return view
    },
  }),

  updateVideo: operation({
    method: 'patch',
    path: '/api/v1/videos/{id}',
    summary: 'Update a video',
    tag: 'Videos',
    access: { scope: 'write', resource: 'video' },
    params: idParams,
    body: { schema: updateVideoInput },
    success: { status: 200, description: 'The updated video.', schema: videoSchema },
    handle: async ({ actor, params, body }) => {
      await updateVideo(actor, params.id, body)
      return visibleVideo(actor, params.id)
    },
  }),

  choosePoster: operation({
    method: 'put',
    path: '/api/v1/videos/{id}/poster',
    summary: "Choose the video's poster",
    description:
      'Owner or admin, once the video is processed (409 before). `{ "thumbnailIndex": k }` picks one of `playback.thumbnails` at once; `{ "atMs": n }` (inside the duration, else 422) has a worker render that frame of the original at the poster\'s size (`state: "rendering"`), and `playback.poster` changes to the new image when it is done.',
    tag: 'Videos',
    access: { scope: 'write', resource: 'video' },
    params: idParams,
    body: { schema: posterChoiceInput },
    success: { status: 200, description: 'Chosen (`done`) or being rendered (`rendering`).', schema: posterChoiceResult },
    errors: [409],
    handle: ({ actor, params, body }) => choosePoster(actor, params.id, body),
  }),

  deleteVideo: operation({
    method: 'delete',
    path: '/api/v1/videos/{id}',
    summary: 'Delete a video',
    description: 'The stored content stays while another video uses the same bytes.',
    tag: 'Videos',
    access: { scope: 'write', resource: 'video' },
    params: idParams,
    success: { status: 204, description: 'Done; no body.' },
    handle: ({ actor, params }) => deleteVideo(actor, params.id),
  }),

  createPlaybackToken: operation({
    method: 'post',
    path: '/api/v1/videos/{id}/playback-token',
    summary: 'Mint a playback token',
    description: "A signed, expiring token for one video's content, and the stream URLs that carry it (relative segment URLs in the manifests keep working).",
    tag: 'Videos',
    access: { scope: 'read', resource: 'video' },
    params: idParams,
    body: { schema: playbackTokenInput, required: false },
    success: { status: 201, description: 'The token and URLs.', schema: playbackTokenSchema },
    handle: ({ actor, params, body }) => mintPlaybackToken(actor, params.id, body),
  }),

  countView: operation({
    method: 'post',
    path: '/api/v1/videos/{id}/views',
    summary: 'Count a view',
    description: 'The player reports one view when playback first starts.',
    tag: 'Videos',
    access: { scope: 'read', resource: 'video', anonymous: true },
    params: idParams,
    success: { status: 200, description: 'The new total.', schema: z.object({ views: z.int() }) },
    handle: async ({ actor, params }) => ({ views: await countView(actor, params.id) }),
  }),
}
