import { open } from 'node:fs/promises'

// QuickTime/MP4 tracks may keep their samples in another file (a `dref` entry that is not
// self-contained, or an `rmra` reference movie). FFmpeg ignores those by default (enable_drefs=0),
// but then probes a track it cannot read; we refuse such files outright with a clear reason.

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'dinf'])
const MAX_BOXES = 20_000

interface Box {
  type: string
  start: number
  end: number
}

/** Returns one description per external reference found; empty when every track is self-contained. */
export async function findExternalReferences(file: string): Promise<string[]> {
  const fh = await open(file, 'r')
  try {
    const { size } = await fh.stat()
    const found: string[] = []
    let visited = 0
    const header = Buffer.alloc(16)

    const readBoxes = async (start: number, end: number): Promise<Box[]> => {
      const out: Box[] = []
      let pos = start
      while (pos + 8 <= end && visited++ < MAX_BOXES) {
        const { bytesRead } = await fh.read(header, 0, 16, pos)
        if (bytesRead < 8) break
        let len = header.readUInt32BE(0)
        const type = header.subarray(4, 8).toString('latin1')
        let hdr = 8
        if (len === 1) {
          if (bytesRead < 16) break
          len = Number(header.readBigUInt64BE(8))
          hdr = 16
        } else if (len === 0) {
          len = end - pos
        }
        // A malformed tree is ffprobe's business; stop walking rather than guess.
        if (len < hdr || pos + len > end) break
        out.push({ type, start: pos + hdr, end: pos + len })
        pos += len
      }
      return out
    }

    const readDref = async (box: Box): Promise<void> => {
      const len = Math.min(box.end - box.start, 64 * 1024)
      const buf = Buffer.alloc(len)
      await fh.read(buf, 0, len, box.start)
      if (len < 8) return
      const count = buf.readUInt32BE(4)
      let pos = 8
      for (let i = 0; i < count && pos + 12 <= len; i++) {
        const entryLen = buf.readUInt32BE(pos)
        const type = buf.subarray(pos + 4, pos + 8).toString('latin1')
        const flags = buf.readUInt32BE(pos + 8) & 0xffffff
        // Flag 1 = "media data is in the same file as this box".
        if ((flags & 1) === 0) found.push(`data reference "${type}" points outside the file`)
        if (entryLen < 12) break
        pos += entryLen
      }
    }

    const walk = async (start: number, end: number, depth: number): Promise<void> => {
      if (depth > 8) return
      for (const box of await readBoxes(start, end)) {
        if (box.type === 'rmra') found.push('reference movie (rmra) names other movies')
        else if (box.type === 'dref') await readDref(box)
        else if (CONTAINERS.has(box.type)) await walk(box.start, box.end, depth + 1)
      }
    }

    await walk(0, size, 0)
    return found
  } finally {
    await fh.close()
  }
}
