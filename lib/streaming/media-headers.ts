// Headers on every response of the media path (files, 304/412/416 and problems alike). Stored
// bytes come from uploaders: even if a browser were tricked into opening one as a document, it
// must not sniff a script type out of it nor run anything with our origin's rights.
export const MEDIA_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // Media elements, manifests and segments need no more; a document opened from here is sandboxed.
  'Content-Security-Policy': "sandbox; default-src 'none'",
}
