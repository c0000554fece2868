'use server'

import { z } from 'zod'
import { currentActor } from '@/lib/auth/server-session'
import { type GalleryPage, galleryPage } from './gallery-page'

const input = z.object({
  q: z.string().max(200).optional(),
  sort: z.enum(['newest', 'views']).optional(),
  cursor: z.string().max(64).optional(),
  mine: z.boolean().optional(),
})

/** The next page for infinite scroll (and /me/videos), as the signed-in viewer sees it. */
export async function loadGalleryPage(raw: z.input<typeof input>): Promise<GalleryPage> {
  const query = input.parse(raw)
  const actor = await currentActor()
  if (query.mine && !actor) return { items: [], nextCursor: null }
  return galleryPage(actor, query)
}
