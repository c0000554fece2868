import { readdir, readFile } from 'node:fs/promises'

// CPU use of the worker and everything it runs (FFmpeg, ffprobe): the encode happens in child
// processes, which process.cpuUsage() never sees. Linux exposes each process's ticks in /proc.

/** Linux's user-space clock tick (USER_HZ) is 100 on every architecture Node supports. */
const TICKS_PER_SECOND = 100

/** CPU ticks from the text of /proc/<pid>/stat: the process's own, and its reaped children's. */
export function statTicks(stat: string): { own: number; reaped: number } {
  // The command name (field 2) sits in parentheses and may contain spaces or ')': count fields after the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14 to 17.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number)
  return { own: utime + stime, reaped: cutime + cstime }
}

async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[])
  const lists = await Promise.all(tasks.map((t) => readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '')))
  return lists.flatMap((l) => l.split(' ').filter(Boolean).map(Number))
}

/**
 * Ticks spent by `pid` and all its descendants so far. A child that exits and is reaped moves
 * from the live children into the parent's reaped ticks, so the sum only grows.
 */
export async function treeTicks(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null)
  if (stat === null) return null
  const { own, reaped } = statTicks(stat)
  const children = await Promise.all((await childPids(pid)).map((c) => treeTicks(c)))
  return own + reaped + children.reduce<number>((sum, t) => sum + (t ?? 0), 0)
}

/** Percent of one core that this process and its children used since the previous call. */
export class TreeCpuMeter {
  private last: { cpuSeconds: number; at: bigint } | null = null

  constructor(private readonly pid = process.pid) {}

  async sample(): Promise<number> {
    const ticks = await treeTicks(this.pid)
    // Without /proc (macOS, Windows) only this process counts.
    const cpuSeconds = ticks !== null ? ticks / TICKS_PER_SECOND : cpuOfThisProcess()
    const at = process.hrtime.bigint()
    const prev = this.last
    this.last = { cpuSeconds, at }
    if (!prev) return 0
    const elapsed = Number(at - prev.at) / 1e9
    return elapsed > 0 ? Math.round(((cpuSeconds - prev.cpuSeconds) / elapsed) * 1000) / 10 : 0
  }
}

function cpuOfThisProcess(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
