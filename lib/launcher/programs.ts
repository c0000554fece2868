import { type SpawnSyncOptions, type SpawnSyncReturns, spawnSync } from 'node:child_process'

// The launcher's programs (npm, initdb, postgres, next build, apt-get, …) either run or fail with
// one line that names them. A program that cannot even start (missing, not executable, or out of
// reach of the user it runs as) gives spawnSync a null status and null output, which used to end
// the launcher with a TypeError instead of the cause.

/** The one line for a program that could not be started, e.g. `initdb could not run: EACCES (…)`. */
export function couldNotRun(name: string, cmd: string, err: NodeJS.ErrnoException, uid?: number): Error {
  const as = uid === undefined ? '' : ` as uid ${uid}`
  return new Error(`${name} could not run: ${err.code ?? err.message} (${cmd}${as})`)
}

/** spawnSync, but a program that cannot start throws `couldNotRun` instead of returning nulls. */
export function runProgram(name: string, cmd: string, args: string[], opts: SpawnSyncOptions = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts }) as SpawnSyncReturns<string>
  if (r.error) throw couldNotRun(name, cmd, r.error, opts.uid)
  return r
}

/** runProgram that also throws unless the program exits with 0; returns its standard output. */
export function runProgramOk(name: string, cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = runProgram(name, cmd, args, opts)
  if (r.status !== 0) throw new Error(`${name} failed (${r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`}): ${outputTail(r)}`)
  return r.stdout ?? ''
}

/** The last two lines a failed program printed, or a pointer to the terminal when it printed there. */
function outputTail(r: SpawnSyncReturns<string>): string {
  if (r.stderr === null && r.stdout === null) return 'see above'
  const text = (r.stderr?.trim() || r.stdout?.trim()) ?? ''
  if (!text) return 'no output'
  return text.split('\n').filter(Boolean).slice(-2).join(' | ')
}
