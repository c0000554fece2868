import { handlersFor } from '@/lib/api/operation'
import { adminApi } from '@/lib/admin/api'

export const dynamic = 'force-dynamic'

export const { GET } = handlersFor(adminApi.getAdminOverview)
