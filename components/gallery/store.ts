'use client'

import { useSyncExternalStore } from 'react'
import type { GalleryItem } from '@/lib/videos/gallery'

// The gallery's order as the modal sees it (the modal lives in a parallel route, so it cannot
// read the gallery's state directly): ids in display order and a way to load the next page.

interface GalleryOrder {
  ids: string[]
  loadMore: (() => Promise<string[]>) | null
  /** The cards shown, for the modal's "Up next" (title, poster, duration). */
  items?: GalleryItem[]
}

let current: GalleryOrder = { ids: [], loadMore: null }
const listeners = new Set<() => void>()

export function setGalleryOrder(next: GalleryOrder): void {
  current = next
  for (const l of listeners) l()
}

export function clearGalleryOrder(ids: string[]): void {
  if (current.ids === ids) setGalleryOrder({ ids: [], loadMore: null })
}

const subscribe = (l: () => void) => {
  listeners.add(l)
  return () => listeners.delete(l)
}

export function useGalleryOrder(): GalleryOrder {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => current,
  )
}

/** The ids before and after `id` in the gallery; `next` may need a page load (see nextId). */
export function neighbours(order: GalleryOrder, id: string): { prev: string | null; next: string | null; canLoadMore: boolean } {
  const i = order.ids.indexOf(id)
  if (i < 0) return { prev: null, next: null, canLoadMore: false }
  return { prev: order.ids[i - 1] ?? null, next: order.ids[i + 1] ?? null, canLoadMore: i === order.ids.length - 1 && !!order.loadMore }
}

/** The id after `id`, loading the next gallery page when `id` is the last one shown. */
export async function nextId(order: GalleryOrder, id: string): Promise<string | null> {
  const n = neighbours(order, id)
  if (n.next || !n.canLoadMore || !order.loadMore) return n.next
  const ids = await order.loadMore()
  const i = ids.indexOf(id)
  return i >= 0 ? (ids[i + 1] ?? null) : null
}

/** Up to `count` cards after `id` in the gallery order (those already loaded). */
export function upNextItems(order: GalleryOrder, id: string, count = 5): GalleryItem[] {
  const i = order.ids.indexOf(id)
  if (i < 0 || !order.items) return []
  const byId = new Map(order.items.map((it) => [it.id, it]))
  return order.ids
    .slice(i + 1, i + 1 + count)
    .map((x) => byId.get(x))
    .filter((x): x is GalleryItem => !!x)
}
