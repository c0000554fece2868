import { handlersFor } from '@/lib/api/operation'
import { usersApi } from '@/lib/auth/api'

export const dynamic = 'force-dynamic'

export const { POST } = handlersFor(usersApi.resetPassword)
