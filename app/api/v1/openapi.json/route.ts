import { json } from '@/lib/api/route'
import { openApiDocument } from '@/lib/openapi/document'

export const dynamic = 'force-dynamic'

/** The OpenAPI 3.1 document, open to everyone (it is what /docs renders). */
export async function GET() {
  return json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' } })
}
