import { z } from 'zod'
import { idString } from '@/lib/validation/text'

/** Any resource id in a path (row ids, room ids); one that fails to parse names nothing: 404. */
export const resourceId = idString(128)

export const idParams = z.object({ id: resourceId })
