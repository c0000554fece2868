// Player keyboard shortcuts: space/k play-pause, arrows seek and change volume, f fullscreen,
// m mute. Ignored while typing in a form field or with a modifier held (browser shortcuts win).

export type KeyAction =
  | { type: 'toggle-play' }
  | { type: 'seek-by'; seconds: number }
  | { type: 'volume-by'; delta: number }
  | { type: 'toggle-fullscreen' }
  | { type: 'toggle-mute' }

export interface KeyInput {
  key: string
  ctrlKey?: boolean
  metaKey?: boolean
  altKey?: boolean
  /** The focused element's tag name and whether it is editable. */
  targetTag?: string
  targetEditable?: boolean
}

export const SEEK_STEP = 5
export const VOLUME_STEP = 0.1

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

export function keyAction(e: KeyInput): KeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null
  if (e.targetEditable || (e.targetTag && EDITABLE.has(e.targetTag.toUpperCase()))) return null
  switch (e.key) {
    case ' ':
    case 'k':
    case 'K':
      return { type: 'toggle-play' }
    case 'ArrowLeft':
      return { type: 'seek-by', seconds: -SEEK_STEP }
    case 'ArrowRight':
      return { type: 'seek-by', seconds: SEEK_STEP }
    case 'ArrowUp':
      return { type: 'volume-by', delta: VOLUME_STEP }
    case 'ArrowDown':
      return { type: 'volume-by', delta: -VOLUME_STEP }
    case 'f':
    case 'F':
      return { type: 'toggle-fullscreen' }
    case 'm':
    case 'M':
      return { type: 'toggle-mute' }
    default:
      return null
  }
}
