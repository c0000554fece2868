import { apiKeysApi, usersApi } from '@/lib/auth/api'
import { adminApi, userAdminApi } from '@/lib/admin/api'
import type { Operation } from '@/lib/api/operation'
import { captionsApi } from '@/lib/captions/api'
import { contentApi } from '@/lib/content/api'
import { historyApi } from '@/lib/history/api'
import { playlistsApi, roomsApi } from '@/lib/rooms/api'
import { sessionsApi } from '@/lib/sessions/api'
import { shareApi } from '@/lib/share/api'
import { systemApi } from '@/lib/system/api'
import { uploadsApi } from '@/lib/uploads/api'
import { videosApi } from '@/lib/videos/api'
import { webhooksApi } from '@/lib/webhooks/api'

// Every domain's API module, in the document's order. A new module is listed here; a new operation
// in a listed module is documented and (with a handler) exported by its route file.
const MODULES: Record<string, Operation>[] = [
  systemApi,
  videosApi,
  captionsApi,
  historyApi,
  shareApi,
  uploadsApi,
  sessionsApi,
  contentApi,
  playlistsApi,
  roomsApi,
  webhooksApi,
  apiKeysApi,
  usersApi,
  userAdminApi,
  adminApi,
]

/** Each operation with its id (the key it is declared under). */
export const OPERATIONS: { operationId: string; op: Operation }[] = MODULES.flatMap((m) => Object.entries(m).map(([operationId, op]) => ({ operationId, op })))
