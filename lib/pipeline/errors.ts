import { AppError } from '@/lib/errors'

/** Why an input was refused; stable codes the UI and webhooks may show. */
export type RejectReason =
  | 'empty'
  | 'unreadable'
  | 'not_media'
  | 'container_not_allowed'
  | 'references_other_files'
  | 'no_video'
  | 'too_many_streams'
  | 'too_large'
  | 'bad_dimensions'
  | 'too_long'
  | 'bad_duration'
  | 'truncated'

/** The upload itself is unacceptable: retrying cannot help, so the session should fail at once. */
export class MediaRejected extends AppError {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super('INVALID_INPUT', message, { reason })
    this.name = 'MediaRejected'
  }
}

/**
 * How a pipeline step failed, so the worker can pick retry, fallback or circuit breaker:
 * - cancelled: the AbortSignal fired (no retry)
 * - hung: FFmpeg made no progress for hangTimeoutMs (retry)
 * - ffmpeg: FFmpeg exited non-zero (retry, then fallback)
 * - invalid_output: validation found a missing, empty or undecodable segment (retry)
 * - unavailable: ffmpeg/ffprobe missing or the disk is full; systemic, pause claiming
 */
export type PipelineFailure = 'cancelled' | 'hung' | 'ffmpeg' | 'invalid_output' | 'unavailable'

export class PipelineError extends Error {
  constructor(
    readonly kind: PipelineFailure,
    message: string,
    /** Last lines of FFmpeg's stderr, when there is one. */
    readonly logTail = '',
  ) {
    super(message)
    this.name = 'PipelineError'
  }

  get retryable(): boolean {
    return this.kind !== 'cancelled'
  }

  /** Failures that say something about the machine, not the input (feed the circuit breaker). */
  get systemic(): boolean {
    return this.kind === 'unavailable'
  }
}

export function isSystemicErrno(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EMFILE' || code === 'EACCES'
}
