import { type FragmentEntry, readBoxHeader, scanFragments } from './mp4'

/**
 * Learns the fragment index of a file from the bytes the stream appends anyway, for files
 * without an `mfra` box: walks top-level box headers across chunk boundaries, keeps only the
 * small pieces it needs (a header, a whole moof) and skips mdat payloads without copying them.
 */
export class FragmentScanner {
  /** File offset of the next top-level box header. */
  private pos: number
  private carry: Uint8Array = new Uint8Array(0)
  private carryFrom = 0

  constructor(
    startOffset: number,
    private readonly timescales: Map<number, number>,
    private readonly trackId: number | undefined,
    private readonly onFragment: (f: FragmentEntry) => void,
  ) {
    this.pos = startOffset
  }

  /** Restarts at a known box boundary (after a seek). */
  reset(offset: number): void {
    this.pos = offset
    this.carry = new Uint8Array(0)
  }

  /** Feeds contiguous file bytes starting at `fileOffset`. */
  push(bytes: Uint8Array, fileOffset: number): void {
    const end = fileOffset + bytes.length
    while (this.pos < end) {
      if (this.pos < fileOffset) {
        // The box at pos started in earlier bytes; only reachable through the carry.
        if (this.carry.length === 0 || this.carryFrom + this.carry.length !== fileOffset) return
      }
      const need = this.pos >= fileOffset ? bytes.subarray(this.pos - fileOffset) : concat(this.carry.subarray(this.pos - this.carryFrom), bytes)
      const h = readBoxHeader(need, 0, need.length)
      if (!h || (h.type === 'moof' && need.length < h.size)) {
        this.keep(need, end)
        return
      }
      if (h.type === 'moof') {
        const { fragments } = scanFragments(need.subarray(0, h.size), this.pos, this.timescales, this.trackId)
        for (const f of fragments) this.onFragment(f)
      }
      this.carry = new Uint8Array(0)
      this.pos += h.size
    }
  }

  private keep(bytes: Uint8Array, end: number): void {
    // Never hold more than one moof's worth; anything larger is not a box we parse.
    this.carry = bytes.length > 4 * 1024 * 1024 ? new Uint8Array(0) : bytes.slice()
    this.carryFrom = end - bytes.length
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}
