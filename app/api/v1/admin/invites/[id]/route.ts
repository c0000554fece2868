import { handlersFor } from '@/lib/api/operation'
import { userAdminApi } from '@/lib/admin/api'

export const dynamic = 'force-dynamic'

export const { DELETE } = handlersFor(userAdminApi.revokeInvite)
