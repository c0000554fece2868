import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { startTool } from '@/lib/pipeline/process'

// Encodes run at a low CPU priority so pages and commands come first; the priority is set before
// the tool starts, so every thread it creates has it too.

/** Field 19 of /proc/<pid>/stat is the nice value (after the parenthesised command name). */
const niceOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[16])

describe.runIf(process.platform === 'linux')('tool priority', () => {
  it('starts the tool itself at the requested nice value, still killable and reporting its exit', async () => {
    const run = startTool('sleep', ['30'], { nice: 17 })
    // The wrappers exec into the tool in the same process: wait until it is `sleep`.
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && !readFileSync(`/proc/${run.child.pid}/cmdline`, 'utf8').startsWith('sleep')) await new Promise((r) => setTimeout(r, 20))
    expect(readFileSync(`/proc/${run.child.pid}/cmdline`, 'utf8').split('\0')[0]).toBe('sleep')
    expect(niceOf(run.child.pid!)).toBe(17)
    run.kill('abort')
    const result = await run.done
    expect(result.killedBy).toBe('abort')
    expect(result.signal).toBe('SIGTERM')
  })

  it('reports a missing tool as unavailable through the wrappers', async () => {
    await expect(startTool('reelhouse-no-such-tool', [], { nice: 5 }).done).rejects.toThrow('not installed')
  })
})
