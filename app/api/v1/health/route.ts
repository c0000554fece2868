import { json } from '@/lib/api/route'
import { checkHealth } from '@/lib/health'

export const dynamic = 'force-dynamic'

export async function GET() {
  const health = await checkHealth()
  return json(health, { status: health.db === 'ok' ? 200 : 503 })
}
