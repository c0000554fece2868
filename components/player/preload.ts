// The player's code (video.js, ~1 MB) loads only when a video opens; a card hover starts it early.
export const loadPlayer = () => import('./VideoPlayer')

let started = false
export function preloadPlayer(): void {
  if (started) return
  started = true
  void loadPlayer().catch(() => {
    started = false
  })
}

/** Remembers when the viewer asked for a video, for the click -> first frame figure. */
export function markOpen(): void {
  const w = window as unknown as { __reelhouse?: Record<string, unknown> }
  w.__reelhouse ??= {}
  w.__reelhouse.openedAt = performance.now()
}
