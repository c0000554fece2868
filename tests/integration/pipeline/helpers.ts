import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { ProgressParser } from '@/lib/pipeline/progress'

export interface DecodeResult {
  code: number | null
  errors: string
  /** Media time FFmpeg decoded, from its -progress output. */
  decodedMs: number
}

/** Decodes a whole manifest or file to nowhere. Opened by absolute path (FFmpeg 5.1's DASH reader needs it). */
export function decodeAll(file: string): Promise<DecodeResult> {
  return new Promise((resolve, reject) => {
    const p = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-progress', 'pipe:1', '-i', path.resolve(file), '-f', 'null', '-'])
    const parser = new ProgressParser()
    let decodedMs = 0
    let errors = ''
    p.stdout.setEncoding('utf8').on('data', (c: string) => {
      for (const s of parser.feed(c)) decodedMs = Math.max(decodedMs, s.outTimeMs)
    })
    p.stderr.setEncoding('utf8').on('data', (c: string) => {
      errors += c
    })
    p.on('error', reject)
    p.on('close', (code) => resolve({ code, errors: errors.trim(), decodedMs }))
  })
}

export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...(await allFiles(p)))
    else out.push(p)
  }
  return out
}

/** Files under `dir` whose bytes contain any of `needles`. */
export async function filesContaining(dir: string, needles: Buffer[]): Promise<string[]> {
  const hits: string[] = []
  for (const f of await allFiles(dir)) {
    const bytes = await readFile(f)
    if (needles.some((n) => bytes.includes(n))) hits.push(f)
  }
  return hits
}

/** A distinctive slice of a file (from its middle), to look for leaks of it elsewhere. */
export async function signatureOf(file: string, length = 48): Promise<Buffer> {
  const bytes = await readFile(file)
  const at = Math.floor(bytes.length / 2)
  return Buffer.from(bytes.subarray(at, at + length))
}
