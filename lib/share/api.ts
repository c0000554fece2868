import { operation } from '@/lib/api/operation'
import { oembedFor, oembedQuery, oembedSchema } from './oembed'

export const shareApi = {
  getOembed: operation({
    method: 'get',
    path: '/api/v1/oembed',
    summary: 'oEmbed for a video link',
    description:
      'oEmbed 1.0: pass a watch or embed URL of this site; the answer carries an `<iframe>` of the embed player. Public and unlisted videos only (as an anonymous viewer sees them); `format=xml` answers 501.',
    tag: 'Videos',
    access: { auth: 'none', scope: null },
    query: oembedQuery,
    success: { status: 200, description: 'The oEmbed description.', schema: oembedSchema },
    errors: [404, 422, 501],
    handle: ({ req, query }) => oembedFor(query, requestOrigin(req)),
  }),
}

/** The origin the caller addressed (the site may be reachable under another name than NEXTAUTH_URL's). */
function requestOrigin(req: Request): string | null {
  try {
    return new URL(req.url).origin
  } catch {
    return null
  }
}
