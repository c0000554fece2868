import { loadStreamingConfig } from '@/lib/pipeline/config'

let limit: number | undefined

/** Largest accepted upload, from the streaming config (`limits.max_upload_bytes`). */
export async function maxUploadBytes(): Promise<number> {
  limit ??= loadStreamingConfig().limits.maxUploadBytes
  return limit
}
