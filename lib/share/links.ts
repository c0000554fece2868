// This site's public URLs for a video (what a share box, an embed code or oEmbed hands out).
// Browser-safe: the origin is passed in (location.origin in the browser, siteOrigin() on the server).

import { startTimeParam } from './start-time'

export const watchPath = (id: string): string => `/videos/${encodeURIComponent(id)}`
export const embedPath = (id: string): string => `/embed/${encodeURIComponent(id)}`

/** The watch page, optionally starting at `seconds`. */
export function watchUrl(origin: string, id: string, seconds?: number): string {
  const url = new URL(watchPath(id), origin)
  if (seconds !== undefined && seconds >= 1) url.searchParams.set('t', startTimeParam(seconds))
  return url.href
}

export function embedUrl(origin: string, id: string, opts: { seconds?: number; autoplay?: boolean; muted?: boolean } = {}): string {
  const url = new URL(embedPath(id), origin)
  if (opts.autoplay) url.searchParams.set('autoplay', '1')
  if (opts.muted) url.searchParams.set('muted', '1')
  if (opts.seconds !== undefined && opts.seconds >= 1) url.searchParams.set('t', startTimeParam(opts.seconds))
  return url.href
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The `<iframe>` that embeds the player (also oEmbed's `html`). */
export function embedHtml(src: string, title: string, width: number, height: number): string {
  return `<iframe src="${escapeAttr(src)}" width="${width}" height="${height}" title="${escapeAttr(title)}" frameborder="0" allow="autoplay; fullscreen; picture-in-picture; encrypted-media" allowfullscreen></iframe>`
}

/** The oEmbed discovery URL of a watch page. */
export const oembedUrl = (origin: string, id: string): string =>
  `${new URL('/api/v1/oembed', origin).href}?url=${encodeURIComponent(watchUrl(origin, id))}&format=json`
