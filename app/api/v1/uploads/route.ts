import { handlersFor } from '@/lib/api/operation'
import { uploadsApi } from '@/lib/uploads/api'

export const dynamic = 'force-dynamic'

export const { POST } = handlersFor(uploadsApi.createDirectUpload)
