import { z } from 'zod'
import { idString } from '@/lib/validation/text'

export const idParams = z.object({ id: idString(128) })
