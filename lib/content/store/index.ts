import { env } from '@/lib/config/env'
import { localContentStore } from './local'
import { s3ContentStore } from './s3'
import { s3SettingsFromEnv } from './s3-client'
import type { ContentStore } from './types'

export { localContentStore } from './local'
export { readStoredFile } from './read'
export { hashFile, tempDir, writeHashed } from './scratch'
export type { ContentStore, LocalContentStore, ObjectRead, PresignOptions, ReadRange, StoredEntry, StoredObject } from './types'
export { UnsatisfiableRangeError } from './types'

let configured: ContentStore | undefined

/** The store CONTENT_STORE names, one per process (an S3 store keeps its connection pool). */
export function contentStore(): ContentStore {
  configured ??= env().CONTENT_STORE === 's3' ? s3ContentStore(s3SettingsFromEnv()) : localContentStore()
  return configured
}
