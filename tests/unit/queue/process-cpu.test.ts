import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { statTicks, TreeCpuMeter, treeTicks } from '@/lib/queue/process-cpu'

// The worker's CPU readout must include the encoders it runs: a child burns a fixed amount of
// CPU time (measured by itself, so the machine's load does not matter) and the parent's tree
// count must grow by at least that much.

const BURN_SECONDS = 0.6

/** A child that spins until it has used BURN_SECONDS of CPU, says so, then idles until killed. */
function burner() {
  const code = `const t0 = process.cpuUsage(); while (true) { const u = process.cpuUsage(t0); if ((u.user + u.system) / 1e6 >= ${BURN_SECONDS}) break }
process.stdout.write('burnt\\n'); setInterval(() => {}, 1000)`
  return spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] })
}

describe('CPU of the worker and its children', () => {
  it('reads the tick fields of /proc/<pid>/stat, whatever the command name holds', () => {
    const stat = '4242 (ffmpeg (x) 1) S 1 2 3 0 -1 4194304 98 0 0 0 250 50 7 3 20 0 1 0 78432 3133440 394'
    expect(statTicks(stat)).toEqual({ own: 300, reaped: 10 })
  })

  it.runIf(process.platform === 'linux')(
    'counts a running child and keeps it counted after it exits',
    async () => {
      const before = (await treeTicks(process.pid))!
      const meter = new TreeCpuMeter()
      await meter.sample()
      const child = burner()
      await once(child.stdout!, 'data')
      // Ticks are 10 ms: allow one tick of rounding per process.
      const during = (await treeTicks(process.pid))!
      expect((during - before) / 100).toBeGreaterThanOrEqual(BURN_SECONDS - 0.02)
      expect(await meter.sample()).toBeGreaterThan(0)
      child.kill()
      await once(child, 'exit')
      const after = (await treeTicks(process.pid))!
      expect(after).toBeGreaterThanOrEqual(during)
      // On a busy machine the child may wait a while for its 0.6 s of CPU.
    },
    120_000,
  )
})
