// The quality menu over VHS's quality levels (`player.qualityLevels()`, built into video.js 8):
// "Auto" lets ABR choose among every rung; picking a rung enables that one only.

export interface QualityLevelLike {
  id: string
  height?: number
  width?: number
  bitrate?: number
  enabled: boolean
}

export interface QualityLevelListLike {
  length: number
  selectedIndex: number
  [index: number]: QualityLevelLike
}

export interface QualityOption {
  /** 'auto', or the level's height as a string (rungs are unique by height). */
  value: string
  label: string
  height: number | null
  bitrate: number | null
}

/** Menu options: Auto first, then one per distinct height, highest first. */
export function qualityOptions(levels: QualityLevelListLike): QualityOption[] {
  const byHeight = new Map<number, QualityOption>()
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]
    if (!l?.height) continue
    const prev = byHeight.get(l.height)
    if (!prev || (l.bitrate ?? 0) > (prev.bitrate ?? 0)) {
      byHeight.set(l.height, { value: String(l.height), label: `${l.height}p`, height: l.height, bitrate: l.bitrate ?? null })
    }
  }
  const rungs = [...byHeight.values()].sort((a, b) => (b.height ?? 0) - (a.height ?? 0))
  return [{ value: 'auto', label: 'Auto', height: null, bitrate: null }, ...rungs]
}

/**
 * Enables the levels of the chosen option (all for 'auto'). Returns how many are enabled.
 * For one rung, every level is disabled first: VHS switches at once ("fast quality change")
 * only when a level goes from disabled to enabled; otherwise the old rung keeps playing until
 * everything already buffered has been played.
 */
export function applyQuality(levels: QualityLevelListLike, value: string): number {
  const matches = (i: number) => value === 'auto' || String(levels[i].height) === value
  let count = 0
  for (let i = 0; i < levels.length; i++) if (matches(i)) count++
  // A choice that matches nothing (a stale menu) must not leave ABR without any rung.
  if (count === 0) value = 'auto'
  if (value !== 'auto') for (let i = 0; i < levels.length; i++) levels[i].enabled = false
  for (let i = 0; i < levels.length; i++) if (value === 'auto' || String(levels[i].height) === value) levels[i].enabled = true
  return count || levels.length
}

/** The height of the level VHS is playing now, or null. */
export function currentHeight(levels: QualityLevelListLike): number | null {
  const l = levels.selectedIndex >= 0 ? levels[levels.selectedIndex] : undefined
  return l?.height ?? null
}
