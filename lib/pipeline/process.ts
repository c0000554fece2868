import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { PipelineError } from './errors'

/** Binaries are found on PATH; a deployment that needs another build puts it first on PATH. */
export const TOOLS = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' } as const

export type KillReason = 'abort' | 'timeout' | 'hung' | 'output_limit'

/**
 * A pause switch the caller flips, like an AbortSignal that can be undone: while `paused`, the
 * tool is stopped (SIGSTOP: it keeps its memory, files and place) and continued on resume (SIGCONT).
 */
export interface PauseSignal {
  readonly paused: boolean
  /** Calls `fn` on every change; returns the unsubscribe. */
  subscribe(fn: (paused: boolean) => void): () => void
}

export interface ToolOptions {
  signal?: AbortSignal
  pause?: PauseSignal
  /** Hard wall-clock limit for the whole run. */
  timeoutMs?: number
  /** Bytes written to stdin, then closed. Omitted: stdin is closed at once. */
  input?: Buffer | (() => AsyncIterable<Buffer>)
  onStdout?: (chunk: string) => void
  /** Keep stdout in the result (ffprobe JSON); bounded by maxStdoutBytes. */
  captureStdout?: boolean
  maxStdoutBytes?: number
  /** Bytes of stderr kept (the tail). */
  stderrTailBytes?: number
  /** SIGTERM first so FFmpeg can close files; SIGKILL after this grace. */
  killGraceMs?: number
  /** Start the tool at this nice value (Unix; higher = lower CPU priority). */
  nice?: number
}

export interface ToolResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderrTail: string
  killedBy?: KillReason
  wallMs: number
}

export interface ToolRun {
  child: ChildProcess
  done: Promise<ToolResult>
  kill(reason: KillReason): void
}

/** Bounded tail of a text stream: keeps at most `limit` bytes, drops whole older chunks. */
export class TailBuffer {
  private chunks: string[] = []
  private size = 0
  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()!.length
  }

  toString(): string {
    const all = this.chunks.join('')
    return all.length > this.limit ? all.slice(all.length - this.limit) : all
  }
}

/**
 * On Linux, FFmpeg runs under `setpriv --pdeathsig SIGKILL` (util-linux): if the worker is killed
 * outright, the kernel ends its FFmpeg too, so no orphan keeps writing into a session that
 * another worker has taken over.
 */
const SETPRIV = process.platform === 'linux' && ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p))
/** coreutils' nice: the priority is set before FFmpeg starts, so every thread it creates inherits it. */
const NICE = process.platform !== 'win32' && ['/usr/bin/nice', '/bin/nice'].find((p) => existsSync(p))

/** The command line with its wrappers: `nice -n N setpriv --pdeathsig SIGKILL -- cmd args`. */
function wrapped(cmd: string, args: string[], nice: number | undefined): { argv: string[]; viaWrapper: boolean } {
  let argv = [cmd, ...args]
  if (SETPRIV) argv = [SETPRIV, '--pdeathsig', 'SIGKILL', '--', ...argv]
  if (nice && NICE) argv = [NICE, '-n', String(nice), ...argv]
  return { argv, viaWrapper: argv[0] !== cmd }
}

export function startTool(cmd: string, args: string[], opts: ToolOptions = {}): ToolRun {
  const started = performance.now()
  const { argv, viaWrapper } = wrapped(cmd, args, opts.nice)
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true })
  const stderr = new TailBuffer(opts.stderrTailBytes ?? 64 * 1024)
  const stdoutParts: string[] = []
  let stdoutBytes = 0
  let killedBy: KillReason | undefined
  let graceTimer: NodeJS.Timeout | undefined

  const kill = (reason: KillReason) => {
    if (killedBy || child.exitCode !== null || child.signalCode !== null) return
    killedBy = reason
    child.kill('SIGTERM')
    // A stopped process acts on SIGTERM only once continued.
    child.kill('SIGCONT')
    graceTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 3000)
    graceTimer.unref()
  }

  child.stdout!.setEncoding('utf8')
  child.stderr!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => {
    opts.onStdout?.(chunk)
    if (!opts.captureStdout) return
    stdoutBytes += chunk.length
    if (stdoutBytes > (opts.maxStdoutBytes ?? 4 * 1024 * 1024)) kill('output_limit')
    else stdoutParts.push(chunk)
  })
  child.stderr!.on('data', (chunk: string) => stderr.push(chunk))
  // FFmpeg may exit before reading all input (e.g. a decode error); that is its answer, not ours.
  child.stdin!.on('error', () => {})

  if (!opts.input) child.stdin!.end()
  else if (Buffer.isBuffer(opts.input)) child.stdin!.end(opts.input)
  else void feed(child, opts.input)

  const running = () => child.exitCode === null && child.signalCode === null && !killedBy
  const onPause = (paused: boolean) => {
    if (running()) child.kill(paused ? 'SIGSTOP' : 'SIGCONT')
  }
  const unsubscribePause = opts.pause?.subscribe(onPause)
  if (opts.pause?.paused) onPause(true)

  const onAbort = () => kill('abort')
  if (opts.signal?.aborted) onAbort()
  else opts.signal?.addEventListener('abort', onAbort, { once: true })
  const timeout = opts.timeoutMs ? setTimeout(() => kill('timeout'), opts.timeoutMs) : undefined

  const done = new Promise<ToolResult>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup()
      reject(
        err.code === 'ENOENT'
          ? new PipelineError('unavailable', `${cmd} is not installed or not on PATH`)
          : new PipelineError('unavailable', `cannot start ${cmd}: ${err.message}`),
      )
    })
    child.once('close', (code, signal) => {
      cleanup()
      // Under a wrapper (setpriv, nice) a missing binary is exit code 127, not a spawn error.
      if (viaWrapper && code === 127 && /failed to execute|No such file/.test(stderr.toString())) {
        reject(new PipelineError('unavailable', `${cmd} is not installed or not on PATH`))
        return
      }
      resolve({ code, signal, stdout: stdoutParts.join(''), stderrTail: stderr.toString(), killedBy, wallMs: performance.now() - started })
    })
  })

  function cleanup() {
    unsubscribePause?.()
    if (timeout) clearTimeout(timeout)
    if (graceTimer) clearTimeout(graceTimer)
    opts.signal?.removeEventListener('abort', onAbort)
  }

  return { child, done, kill }
}

async function feed(child: ChildProcess, source: () => AsyncIterable<Buffer>): Promise<void> {
  const stdin = child.stdin!
  try {
    for await (const chunk of source()) {
      if (stdin.destroyed || stdin.writableEnded) return
      if (!stdin.write(chunk))
        await new Promise<void>((resolve) => {
          stdin.once('drain', resolve)
          stdin.once('close', resolve)
        })
    }
  } catch {
    // A read error ends the input early; FFmpeg then reports the truncated stream itself.
  } finally {
    if (!stdin.destroyed) stdin.end()
  }
}

export function runTool(cmd: string, args: string[], opts?: ToolOptions): Promise<ToolResult> {
  return startTool(cmd, args, opts).done
}

/** Last `n` non-empty lines, for error messages. */
export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').filter(Boolean).slice(-n).join(' | ')
}
