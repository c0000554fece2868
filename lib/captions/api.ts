import { z } from 'zod'
import { operation } from '@/lib/api/operation'
import { idParams, resourceId } from '@/lib/api/params'
import { MEDIA_SECURITY_HEADERS } from '@/lib/streaming/media-headers'
import { receiveSmallFile } from '@/lib/uploads/multipart'
import { findViewableVideo } from '@/lib/videos/access'
import { addCaption, captionKindSchema, captionRows, captionView, deleteCaption, MAX_CAPTION_BYTES } from './captions'
import { type Chapter, chaptersInput, setChapters } from './chapters'
import { chaptersResponse, dashManifestResponse, hlsMasterResponse, trackPlaylistResponse, trackResponse } from './media'

const captionParams = z.object({ id: resourceId, captionId: resourceId })
const tokenQuery = z.object({
  token: z.string().max(4096).optional().meta({ description: 'A playback token for this video (what `playback` URLs of a private video carry).' }),
})

export const captionSchema = z
  .object({
    id: z.string(),
    language: z.string().meta({ description: 'BCP 47, canonical form.' }),
    label: z.string(),
    kind: captionKindSchema,
    url: z.string().meta({ description: 'The WebVTT file (private videos: add `?token=` or send credentials).' }),
    source: z.enum(['upload', 'embedded']).meta({ description: '`embedded`: extracted from a subtitle stream of the uploaded file.' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Caption' })

const captionFormSchema = z
  .object({
    file: z.string().meta({ format: 'binary', description: `WebVTT or SubRip (SRT), UTF-8 or Windows-1252, at most ${MAX_CAPTION_BYTES} bytes.` }),
    language: z.string().meta({ description: 'BCP 47 language tag, e.g. `en`, `fr-CA`.' }),
    label: z.string().max(100).optional().meta({ description: "Shown in the player's menu; defaults to the language's own name." }),
    kind: captionKindSchema.optional().meta({ description: '`captions` also describe sounds, for viewers who cannot hear them.' }),
  })
  .meta({ id: 'CaptionForm' })

const MEDIA_DESCRIPTION =
  "Built on each request from the content's own manifest (URIs pointed at the content's files) plus this video's text tracks, so it changes when they do (`ETag`, short `Cache-Control`); the segments stay immutable under `/api/v1/content/`. A private video needs the caller's credentials or `?token=` with a playback token for it."

const text = (contentType: string) => ({ schema: z.string(), contentType })

const chapterSchema = z.object({ startMs: z.int(), title: z.string() }).meta({ id: 'Chapter' })

export const captionsApi = {
  listCaptions: operation({
    method: 'get',
    path: '/api/v1/videos/{id}/captions',
    summary: "List a video's captions",
    tag: 'Captions',
    access: { scope: 'read', anonymous: true, resource: 'video' },
    params: idParams,
    success: { status: 200, description: 'Its text tracks, oldest first.', schema: z.object({ items: z.array(captionSchema) }).meta({ id: 'CaptionList' }) },
    handle: async ({ actor, params }) => {
      await findViewableVideo(actor, params.id)
      return { items: (await captionRows(params.id)).map(captionView) }
    },
  }),

  addCaption: operation({
    method: 'post',
    path: '/api/v1/videos/{id}/captions',
    summary: 'Add a caption file',
    description:
      'SRT is converted to WebVTT; cue text keeps only WebVTT markup (`b`, `i`, `u`, `c`, `v`, `lang`, `ruby`, `rt`), anything else becomes text. A file that is neither format, or has broken timing, is refused with 422 naming its line (`line`). Owner or admin.',
    tag: 'Captions',
    access: { scope: 'write', resource: 'video' },
    params: idParams,
    body: { schema: captionFormSchema, contentType: 'multipart/form-data' },
    success: { status: 201, description: 'Added.', schema: captionSchema },
    errors: [400, 409, 413, 415],
    handle: async ({ req, actor, params }) => {
      const { bytes, fields } = await receiveSmallFile(req, MAX_CAPTION_BYTES)
      return addCaption(actor, params.id, bytes, fields)
    },
  }),

  deleteCaption: operation({
    method: 'delete',
    path: '/api/v1/videos/{id}/captions/{captionId}',
    summary: 'Delete a caption',
    tag: 'Captions',
    access: { scope: 'write', resource: 'video' },
    params: captionParams,
    success: { status: 204, description: 'Deleted.' },
    handle: ({ actor, params }) => deleteCaption(actor, params.id, params.captionId),
  }),

  getCaptionTrack: operation({
    method: 'get',
    path: '/api/v1/videos/{id}/captions/{captionId}/track.vtt',
    summary: 'Caption file (WebVTT)',
    description: 'The sanitized WebVTT, with the media security headers.',
    tag: 'Captions',
    access: { scope: 'read', anonymous: true, resource: 'video' },
    params: captionParams,
    query: tokenQuery,
    responseHeaders: MEDIA_SECURITY_HEADERS,
    success: { status: 200, description: 'The WebVTT file.', ...text('text/vtt') },
    handle: ({ req, actor, params, query }) => trackResponse({ req, actor, videoId: params.id, token: query.token }, params.captionId),
  }),

  getCaptionPlaylist: operation({
    method: 'get',
    path: '/api/v1/videos/{id}/captions/{captionId}/playlist.m3u8',
    summary: 'Caption HLS media playlist',
    description: 'One segment: the whole WebVTT file, for the SUBTITLES group of the video master playlist.',
    tag: 'Captions',
    access: { scope: 'read', anonymous: true, resource: 'video' },
    params: captionParams,
    query: tokenQuery,
    responseHeaders: MEDIA_SECURITY_HEADERS,
    success: { status: 200, description: 'The playlist.', ...text('application/vnd.apple.mpegurl') },
    handle: ({ req, actor, params, query }) => trackPlaylistResponse({ req, actor, videoId: params.id, token: query.token }, params.captionId),
  }),

  getVideoHls: operation({
    method: 'get',
    path: '/api/v1/videos/{id}/master.m3u8',
    summary: 'HLS master playlist of a video',
    description: `${MEDIA_DESCRIPTION} Its captions are a \`SUBTITLES="subs"\` group; while the video is processing, the growing playlists.`,
    tag: 'Captions',
    access: { scope: 'read', anonymous: true, resource: 'video' },
    params: idParams,
    query: tokenQuery,
    responseHeaders: MEDIA_SECURITY_HEADERS,
    success: { status: 200, description: 'The playlist.', ...text('application/vnd.apple.mpegurl') },
    handle: ({ req, actor, params, query }) => hlsMasterResponse({ req, actor, videoId: params.id, token: query.token }),
  }),

  getVideoDash: operation({
    method: 'get',
    path: '/api/v1/videos/{id}/manifest.mpd',
    summary: 'DASH manifest of a video',
    description: `${MEDIA_DESCRIPTION} Each caption is an \`AdaptationSet contentType="text" mimeType="text/vtt"\` with its \`lang\`.`,
    tag: 'Captions',
    access: { scope: 'read', anonymous: true, resource: 'video' },
    params: idParams,
    query: tokenQuery,
    responseHeaders: MEDIA_SECURITY_HEADERS,
    success: { status: 200, description: 'The manifest.', ...text('application/dash+xml') },
    handle: ({ req, actor, params, query }) => dashManifestResponse({ req, actor, videoId: params.id, token: query.token }),
  }),

  setChapters: operation({
    method: 'put',
    path: '/api/v1/videos/{id}/chapters',
    summary: "Set a video's chapters",
    description:
      'Sorted by `startMs`, each inside the video, titles of at most 100 characters (422 otherwise). An empty list removes them; the video then shows the chapters of its description, if any (lines like `00:00 Intro`, `1:02:03 Outro`, the first at 0:00). Owner or admin.',
    tag: 'Captions',
    access: { scope: 'write', resource: 'video' },
    params: idParams,
    body: { schema: chaptersInput },
    success: { status: 200, description: 'The chapters now set.', schema: z.object({ chapters: z.array(chapterSchema) }).meta({ id: 'ChapterList' }) },
    errors: [409],
    handle: async ({ actor, params, body }): Promise<{ chapters: Chapter[] }> => ({ chapters: await setChapters(actor, params.id, body) }),
  }),

  getChaptersTrack: operation({
    method: 'get',
    path: '/api/v1/videos/{id}/chapters.vtt',
    summary: 'Chapters (WebVTT)',
    description: 'A WebVTT chapters track (`kind="chapters"`) of the video\'s chapters; 404 when it has none.',
    tag: 'Captions',
    access: { scope: 'read', anonymous: true, resource: 'video' },
    params: idParams,
    query: tokenQuery,
    responseHeaders: MEDIA_SECURITY_HEADERS,
    success: { status: 200, description: 'The WebVTT file.', ...text('text/vtt') },
    handle: ({ req, actor, params, query }) => chaptersResponse({ req, actor, videoId: params.id, token: query.token }),
  }),
}
