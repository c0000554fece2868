import { streamingConfig } from '@/lib/config/streaming'

/** Largest accepted upload (`limits.max_upload_bytes`). */
export const maxUploadBytes = async (): Promise<number> => streamingConfig().limits.maxUploadBytes

/** Originals up to this size are offered to players as the direct URL (`direct_play_max_bytes` in the streaming config). */
export const directPlayMaxBytes = (): number => streamingConfig().directPlayMaxBytes
