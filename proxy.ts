import { type NextRequest, NextResponse } from 'next/server'
import { env } from '@/lib/config/env'
import { contentSecurityPolicy, isEmbeddable, newNonce } from '@/lib/web/page-security'

// Every page gets a Content-Security-Policy with a fresh nonce. Next reads the nonce from the
// request's copy of the header and puts it on the scripts it renders; the root layout reads
// `x-nonce` for its own inline script.
export function proxy(request: NextRequest) {
  const nonce = newNonce()
  const { MEDIA_ORIGIN, NODE_ENV } = env()
  const policy = contentSecurityPolicy({
    nonce,
    pathname: request.nextUrl.pathname,
    host: request.headers.get('host'),
    mediaOrigins: MEDIA_ORIGIN ? [MEDIA_ORIGIN] : [],
    dev: NODE_ENV === 'development',
  })
  const headers = new Headers(request.headers)
  headers.set('x-nonce', nonce)
  // Set here whatever the client sent: the root layout leaves out the site's chrome in embeds.
  headers.set('x-embed', isEmbeddable(request.nextUrl.pathname) ? '1' : '0')
  headers.set('content-security-policy', policy)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set('content-security-policy', policy)
  return response
}

export const config = {
  // Pages only: API responses, static assets and prefetches carry no scripts of their own.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico|docs/scalar.js).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
}
