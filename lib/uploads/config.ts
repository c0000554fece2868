import { DEFAULT_MAX_UPLOAD_BYTES } from './limits'

export async function maxUploadBytes(): Promise<number> {
  return DEFAULT_MAX_UPLOAD_BYTES
}
