import { loadStreamingConfig, type StreamingConfig } from '@/lib/pipeline/config'

let cached: StreamingConfig | undefined

/** The streaming config (config/streaming.yaml), read and validated once per process. */
export function streamingConfig(): StreamingConfig {
  cached ??= loadStreamingConfig()
  return cached
}
