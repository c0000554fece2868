import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runProgram, runProgramOk } from '@/lib/launcher/programs'

const asRoot = process.getuid?.() === 0
// The kernel's overflow user: exists on every Linux, whatever the passwd file says.
const NOBODY = 65534

describe('programs the launcher runs', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  })

  async function script(mode: number, body = 'exit 0'): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rh-programs-'))
    dirs.push(dir)
    const file = path.join(dir, 'tool')
    await writeFile(file, `#!/bin/sh\n${body}\n`)
    await chmod(file, mode)
    return file
  }

  it('names a missing program and the reason in one line', () => {
    expect(() => runProgram('initdb', '/nonexistent/bin/initdb', [])).toThrow(/^initdb could not run: ENOENT \(\/nonexistent\/bin\/initdb\)$/)
  })

  it('names a program that is not executable', async () => {
    const file = await script(0o644)
    expect(() => runProgram('initdb', file, [])).toThrow(`initdb could not run: EACCES (${file})`)
  })

  it.skipIf(!asRoot)('names a program another user cannot reach, and that user (root only: it switches users)', async () => {
    // A 0700 directory of root's, like root's home: executable for root, out of reach for others.
    const file = await script(0o755)
    expect(runProgram('tool', file, []).status).toBe(0)
    expect(() => runProgram('initdb', file, [], { uid: NOBODY, gid: NOBODY })).toThrow(`initdb could not run: EACCES (${file} as uid ${NOBODY})`)
  })

  it('reports a failing program with its exit code and its last lines of error output', async () => {
    const file = await script(0o755, 'echo progress; echo "first problem" >&2; echo "final problem" >&2; exit 3')
    expect(() => runProgramOk('initdb', file, [])).toThrow('initdb failed (exit code 3): first problem | final problem')
    expect(runProgramOk('echo', 'echo', ['hi'])).toBe('hi\n')
  })
})
