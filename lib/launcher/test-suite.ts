import { readFile } from 'node:fs/promises'
import { runProgram } from './programs'

interface Step {
  name: string
  args: string[]
}

const bin = (pkg: string) => `node_modules/${pkg}`
const STEPS: Step[] = [
  { name: 'typecheck', args: [bin('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', args: [bin('@biomejs/biome/bin/biome'), 'lint', '.'] },
  { name: 'format', args: [bin('@biomejs/biome/bin/biome'), 'format', '.'] },
  {
    name: 'vitest',
    args: [bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json'],
  },
]

/** typecheck + lint + format check + every vitest project (unit, integration, e2e); prints one closing count line. */
export async function runTestSuite(extraVitestArgs: string[]): Promise<number> {
  const t0 = Date.now()
  for (const step of STEPS) {
    const started = Date.now()
    console.log(`\n== ${step.name} ==`)
    const args = step.name === 'vitest' ? [...step.args, ...extraVitestArgs] : step.args
    const r = runProgram(step.name, process.execPath, args, { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } })
    console.log(`== ${step.name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    if (r.status !== 0) {
      if (step.name === 'vitest') await printCounts()
      return r.status ?? 1
    }
  }
  await printCounts()
  console.log(`suite finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  return 0
}

async function printCounts() {
  const report = await readFile('test-results/vitest.json', 'utf8').catch(() => null)
  if (!report) return
  const r = JSON.parse(report) as { numPassedTests: number; numFailedTests: number; numPendingTests: number }
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)
}
