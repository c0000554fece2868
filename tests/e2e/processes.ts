import { execFileSync } from 'node:child_process'

// The machine's processes as `ps` lists them, for checks on what a server started and left behind.

export interface Proc {
  pid: number
  ppid: number
  nice: number
  args: string
}

export function processes(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,ni=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(-?\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), nice: Number(m[3]), args: m[4] }))
    .filter((p) => !p.args.startsWith('ps -eo'))
}
