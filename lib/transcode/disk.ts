import { statfs } from 'node:fs/promises'

/** Free bytes on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir)
  return s.bavail * s.bsize
}

/** Rough room an encode needs: the ladder is smaller than a typical upload, plus a safety margin. */
export const requiredBytesFor = (originalSize: number): number => originalSize * 2 + 512 * 1024 ** 2
