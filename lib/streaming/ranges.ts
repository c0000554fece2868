import rangeParser from 'range-parser'

/** Inclusive byte offsets, as in `Content-Range: bytes start-end/size`. */
export interface ByteRange {
  start: number
  end: number
}

export type RangeDecision =
  | { kind: 'full' } // no Range, or one we must ignore: answer 200 with the whole file
  | { kind: 'unsatisfiable' } // 416
  | { kind: 'partial'; ranges: ByteRange[] } // 206, already clamped and coalesced

const FULL = { kind: 'full' } as const
const RANGE_SPEC_RE = /^(?:(\d+)-(\d*)|-(\d+))$/

/**
 * RFC 9110 §14.1.2 byte ranges. `range-parser` does the clamping and coalescing; this wrapper fixes
 * where it departs from the RFC: the unit is case-insensitive, a suffix longer than the file selects
 * the whole file, and a syntactically invalid set (e.g. `5-2`) is ignored (200) rather than 416.
 */
export function parseRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return FULL
  const eq = header.indexOf('=')
  if (eq === -1 || header.slice(0, eq).toLowerCase() !== 'bytes') return FULL

  const specs: string[] = []
  for (const raw of header.slice(eq + 1).split(',')) {
    const spec = raw.trim()
    if (spec === '') continue // RFC 9110 §5.6.1: empty list elements are ignored
    const m = RANGE_SPEC_RE.exec(spec)
    if (!m) return FULL
    if (m[3] !== undefined) {
      specs.push(Number(m[3]) > size ? '0-' : spec)
    } else {
      if (m[2] !== '' && Number(m[2]) < Number(m[1])) return FULL
      specs.push(spec)
    }
  }
  if (specs.length === 0) return FULL

  const parsed = rangeParser(size, `bytes=${specs.join(',')}`, { combine: true })
  if (parsed === -1) return { kind: 'unsatisfiable' }
  if (parsed === -2) return FULL
  return { kind: 'partial', ranges: parsed.map(({ start, end }) => ({ start, end })) }
}
