/**
 * Colour handling for the H.264 ladder: every rendition is SDR BT.709, 8-bit 4:2:0, whatever the source.
 * PQ and HLG are tone-mapped with `tonemap=mobius` (mid-tones keep their level; a plain format
 * conversion shows HDR code values as SDR, grey and dim); wide-gamut SDR is converted to BT.709
 * primaries; other SDR (8- or 10-bit) only gets the ladder's `format=yuv420p`. Curve and cost:
 * docs/decisions/tone-mapping.md.
 */

/** What the probe records about a source's colour (ffprobe's names; null when untagged). */
export interface ColorFacts {
  transfer: string | null
  primaries: string | null
  matrix: string | null
  range: 'tv' | 'pc' | null
  /** Bits per sample, from the pixel format. */
  bitDepth: number
}

export type ColorHandling = 'tonemap' | 'gamut' | 'none'

const HDR_TRANSFERS = new Set(['smpte2084', 'arib-std-b67'])
// Values both ffprobe prints and zscale accepts; anything else is left to the frame's own tags.
const ZSCALE_PRIMARIES = new Set(['bt709', 'bt2020', 'smpte170m', 'bt470bg', 'smpte432', 'smpte431'])
const ZSCALE_MATRICES = new Set(['bt709', 'bt2020nc', 'bt2020c', 'smpte170m', 'bt470bg'])
const ZSCALE_TRANSFERS = new Set(['bt709', 'bt2020-10', 'bt2020-12', 'smpte170m', 'bt470bg', 'iec61966-2-1'])

const tag = (v: string | undefined): string | null => (v && v !== 'unknown' && v !== 'reserved' ? v : null)

/** Pure: colour facts from an ffprobe video stream. */
export function colorFactsOf(stream: {
  color_transfer?: string
  color_primaries?: string
  color_space?: string
  color_range?: string
  pix_fmt?: string
}): ColorFacts {
  const range = tag(stream.color_range)
  return {
    transfer: tag(stream.color_transfer),
    primaries: tag(stream.color_primaries),
    matrix: tag(stream.color_space),
    range: range === 'tv' || range === 'pc' ? range : null,
    bitDepth: bitDepthOf(stream.pix_fmt ?? ''),
  }
}

/** Pure: bits per sample of a planar/semi-planar FFmpeg pixel format (`yuv420p10le`, `p010le` → 10; `yuv420p` → 8). */
export function bitDepthOf(pixFmt: string): number {
  const m = /(9|10|12|14|16)(?:le|be)$/.exec(pixFmt)
  return m ? Number(m[1]) : 8
}

export function colorHandling(color: ColorFacts | undefined): ColorHandling {
  if (!color) return 'none'
  if (color.transfer && HDR_TRANSFERS.has(color.transfer)) return 'tonemap'
  if (color.primaries === 'bt2020') return 'gamut'
  return 'none'
}

/** zscale's description of the source, from what the probe knows (frame tags fill the rest). */
function sourceOptions(color: ColorFacts, defaults: { primaries: string; matrix: string }): string[] {
  const pin = color.primaries && ZSCALE_PRIMARIES.has(color.primaries) ? color.primaries : defaults.primaries
  const min = color.matrix && ZSCALE_MATRICES.has(color.matrix) ? color.matrix : defaults.matrix
  return [`pin=${pin}`, `min=${min}`, `rin=${color.range ?? 'tv'}`]
}

/** Pure: the filters that bring the decoded picture to SDR BT.709 before the split, or null when none is needed. */
export function colorChain(color: ColorFacts | undefined): string | null {
  const handling = colorHandling(color)
  if (!color || handling === 'none') return null
  const toBt709 = 'zscale=t=bt709:m=bt709:r=tv,format=yuv420p'
  if (handling === 'tonemap') {
    // npl=100: 1.0 in linear light is SDR reference white (100 nits), the scale the curve works in.
    const src = [`tin=${color.transfer}`, ...sourceOptions(color, { primaries: 'bt2020', matrix: 'bt2020nc' })]
    return `zscale=${src.join(':')}:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=mobius:desat=0,${toBt709}`
  }
  const tin = color.transfer && ZSCALE_TRANSFERS.has(color.transfer) ? color.transfer : 'bt709'
  const src = [`tin=${tin}`, ...sourceOptions(color, { primaries: 'bt2020', matrix: 'bt2020nc' })]
  return `zscale=${src.join(':')}:p=bt709:${toBt709.slice('zscale='.length)}`
}

/**
 * Pure: colour tags for the encoded renditions. Set when the output is known to be BT.709: it was
 * converted here, or the source says so. Untagged SDR sources stay untagged (players assume BT.709).
 */
export function outputColorArgs(color: ColorFacts | undefined): string[] {
  const known = colorHandling(color) !== 'none' || color?.matrix === 'bt709'
  return known ? ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'] : []
}
