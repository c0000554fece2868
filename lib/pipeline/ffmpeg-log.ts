import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { FFMPEG_LOG } from '@/lib/content/layout'
import { TOOLS } from './process'

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`
}

/** Writes logs/ffmpeg.log (the command line, then `body`) atomically; returns its absolute path. */
export async function writeFfmpegLog(outDir: string, args: string[], body: string): Promise<string> {
  const file = path.join(outDir, FFMPEG_LOG)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(`${file}.tmp`, `# ${TOOLS.ffmpeg} ${args.map(quote).join(' ')}\n${body}`)
  await rename(`${file}.tmp`, file)
  return file
}

export const ffmpegLogPath = (outDir: string): string => path.join(outDir, FFMPEG_LOG)
