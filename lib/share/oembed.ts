import { z } from 'zod'
import { siteOrigin } from '@/lib/config/site'
import { POSTER, posterSize } from '@/lib/content/layout'
import { db } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { canView } from '@/lib/videos/access'
import { contentBase } from '@/lib/videos/view'
import { embedHtml, embedUrl } from './links'
import { parseStartTime } from './start-time'

// oEmbed 1.0 (https://oembed.com) for our watch and embed URLs: what other apps fetch to show the
// player when a link is pasted. Only what anyone with the link may watch is described: public and
// unlisted videos once processed, whoever asks.

const dimension = z.coerce.number().int().min(32).max(4096)

export const oembedQuery = z.object({
  url: z.string().min(1).max(2048).meta({ description: 'A watch (`/videos/{id}`) or embed (`/embed/{id}`) URL of this site.' }),
  format: z.string().max(16).optional().meta({ description: '`json` (the default); `xml` answers 501.' }),
  maxwidth: dimension.optional(),
  maxheight: dimension.optional(),
})
export type OembedQuery = z.infer<typeof oembedQuery>

export const oembedSchema = z
  .object({
    version: z.literal('1.0'),
    type: z.literal('video'),
    provider_name: z.string(),
    provider_url: z.string(),
    title: z.string(),
    author_name: z.string(),
    html: z.string().meta({ description: 'An `<iframe>` of the embed player.' }),
    width: z.int(),
    height: z.int(),
    thumbnail_url: z.string().optional(),
    thumbnail_width: z.int().optional(),
    thumbnail_height: z.int().optional(),
    cache_age: z.int(),
  })
  .meta({ id: 'OEmbed' })
export type Oembed = z.infer<typeof oembedSchema>

/** Default embed width; the height follows the video's aspect ratio. */
const DEFAULT_WIDTH = 640
/** Unlisted thumbnails carry a playback token valid this long: consumers should not cache longer. */
const CACHE_AGE_S = 3600
const PATH = /^\/(?:videos|embed)\/([^/]+)\/?$/

/** The video id (and start time) a URL of this site names; 404 for anything else. */
export function videoOfUrl(raw: string, origins: readonly string[]): { id: string; t?: number } {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AppError('NOT_FOUND', 'Not a URL of this site.')
  }
  const m = PATH.exec(url.pathname)
  if (!origins.includes(url.origin) || !m) throw new AppError('NOT_FOUND', 'Not a video URL of this site.')
  let id: string
  try {
    id = decodeURIComponent(m[1])
  } catch {
    throw new AppError('NOT_FOUND', 'Not a video URL of this site.')
  }
  return { id, t: parseStartTime(url.searchParams.get('t')) }
}

/** Fits the embed into maxwidth × maxheight keeping the aspect ratio. */
export function embedSize(aspect: number, maxwidth?: number, maxheight?: number): { width: number; height: number } {
  let width = Math.min(DEFAULT_WIDTH, maxwidth ?? DEFAULT_WIDTH)
  let height = Math.round(width / aspect)
  if (maxheight && height > maxheight) {
    height = maxheight
    width = Math.round(height * aspect)
  }
  return { width, height }
}

export async function oembedFor(query: OembedQuery, requestOrigin: string | null): Promise<Oembed> {
  if (query.format !== undefined && query.format !== 'json') throw new AppError('NOT_IMPLEMENTED', `Format "${query.format}" is not offered; use json.`)
  const site = siteOrigin()
  const { id, t } = videoOfUrl(query.url, requestOrigin ? [site, requestOrigin] : [site])
  const video = await db.video.findUnique({
    where: { id },
    include: { owner: { select: { name: true, email: true } }, content: { select: { state: true, width: true, height: true } } },
  })
  // Described as an anonymous viewer sees it: an owner's private video is not embeddable either.
  if (!video || !canView(null, video)) throw new AppError('NOT_FOUND', 'No such video.')
  const { width: w, height: h } = video.content
  const aspect = w && h ? w / h : 16 / 9
  const size = embedSize(aspect, query.maxwidth, query.maxheight)
  const poster = w && h ? posterSize(w, h) : null
  const thumbnail = new URL(`${await contentBase(video)}/${POSTER}`, site).href
  return {
    version: '1.0',
    type: 'video',
    provider_name: 'Reelhouse',
    provider_url: `${site}/`,
    title: video.title,
    author_name: video.owner.name ?? video.owner.email.split('@')[0],
    html: embedHtml(embedUrl(site, video.id, { seconds: t }), video.title, size.width, size.height),
    ...size,
    thumbnail_url: thumbnail,
    ...(poster ? { thumbnail_width: poster.width, thumbnail_height: poster.height } : {}),
    cache_age: CACHE_AGE_S,
  }
}
