// The player remembers volume and mute across videos and visits.

export interface VolumeState {
  volume: number
  muted: boolean
}

export const VOLUME_KEY = 'reelhouse:volume'
export const DEFAULT_VOLUME: VolumeState = { volume: 1, muted: false }

type Store = Pick<Storage, 'getItem' | 'setItem'>

const defaultStore = (): Store | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

export function loadVolume(store: Store | null = defaultStore()): VolumeState {
  try {
    const raw = store?.getItem(VOLUME_KEY)
    if (!raw) return DEFAULT_VOLUME
    const v = JSON.parse(raw) as Partial<VolumeState>
    const volume = typeof v.volume === 'number' && Number.isFinite(v.volume) ? Math.min(1, Math.max(0, v.volume)) : 1
    return { volume, muted: v.muted === true }
  } catch {
    return DEFAULT_VOLUME
  }
}

export function saveVolume(state: VolumeState, store: Store | null = defaultStore()): void {
  try {
    store?.setItem(VOLUME_KEY, JSON.stringify({ volume: Math.round(state.volume * 100) / 100, muted: state.muted }))
  } catch {
    /* private mode or quota: not worth failing playback for */
  }
}
