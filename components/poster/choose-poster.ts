import type { VideoView } from '@/lib/videos/view'

// The browser side of `PUT /api/v1/videos/{id}/poster`: send the choice, then (for a frame the
// worker renders) read the video until its poster URL changes, which is how "done" shows.

export type PosterChoice = { atMs: number } | { thumbnailIndex: number }

const readVideo = async (id: string): Promise<VideoView> => {
  const res = await fetch(`/api/v1/videos/${encodeURIComponent(id)}`, { cache: 'no-store' })
  if (!res.ok) throw new Error(`Could not read the video (HTTP ${res.status}).`)
  return (await res.json()) as VideoView
}

/** Resolves with the new poster URL; rejects with a sentence to show. */
export async function choosePoster(id: string, choice: PosterChoice, opts: { timeoutMs?: number } = {}): Promise<string> {
  const before = (await readVideo(id)).playback.poster
  const res = await fetch(`/api/v1/videos/${encodeURIComponent(id)}/poster`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(choice),
  })
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { detail?: string; errors?: { message: string }[] }
    throw new Error(p.errors?.[0]?.message ?? p.detail ?? `HTTP ${res.status}`)
  }
  // "done": in place already (a thumbnail, or a frame made before, whose URL may be the same as now).
  const { state } = (await res.json()) as { state: 'done' | 'rendering' }
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000)
  for (;;) {
    const poster = (await readVideo(id)).playback.poster
    if (poster && (state === 'done' || poster !== before)) return poster
    if (Date.now() > deadline) throw new Error('The poster is still being made; it will change shortly.')
    await new Promise((r) => setTimeout(r, 1000))
  }
}
