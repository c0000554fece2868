import { json, jsonBody, route } from '@/lib/api/route'
import { createDirectUpload, createDirectUploadInput } from '@/lib/uploads/direct'

export const dynamic = 'force-dynamic'

/**
 * Creates a direct upload URL (JSON body, no `Tus-Resumable` header; tus requests to this path are
 * answered by the tus server before they reach Next).
 */
export const POST = route({ scope: 'write' }, async ({ req, actor }) => {
  const input = await jsonBody(req, createDirectUploadInput, { optional: true })
  const upload = await createDirectUpload(actor!, input, new URL(req.url).origin)
  return json(upload, { status: 201 })
})
