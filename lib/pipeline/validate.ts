import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { PipelineError } from './errors'
import { DASH_MANIFEST, HLS_MASTER, mediaPlaylist } from '@/lib/content/layout'
import { type HlsMaster, type Mpd, type MpdRepresentation, parseHlsMaster, parseHlsMediaPlaylist, parseMpd } from './manifests'
import type { ProbeFacts } from './probe'
import { lastLines, runTool, TOOLS } from './process'

/** One stored rendition, shaped for the Rendition table. */
export interface RenditionSummary {
  name: string
  kind: 'video' | 'audio'
  width: number
  height: number
  /** Bits per second as advertised in the manifests. */
  bitrate: number
  codecs: string
  bytes: number
  segments: number
  representationId: number
  /** HLS media playlist and segment folder, relative to the content directory. */
  playlist: string
  dir: string
}

export interface ValidateOptions {
  outDir: string
  probe: Pick<ProbeFacts, 'durationMs' | 'width' | 'height'>
  /** Longest regular segment (s): the allowed gap between source and output durations. */
  segmentDuration: number
  /** Rendition names by representation id (from the plan); absent: derived from sizes. */
  names?: Map<number, string>
  signal?: AbortSignal
}

async function size(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch {
    return -1
  }
}

async function decodes(files: string[], signal?: AbortSignal): Promise<string | null> {
  const input = Buffer.concat(await Promise.all(files.map((f) => readFile(f))))
  const res = await runTool(
    TOOLS.ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', '-xerror', '-protocol_whitelist', 'pipe', '-f', 'mp4', '-i', 'pipe:0', '-f', 'null', '-'],
    {
      input,
      signal,
      timeoutMs: 120_000,
    },
  )
  if (res.killedBy === 'abort') throw new PipelineError('cancelled', 'validation cancelled')
  if (res.code !== 0 || res.killedBy || res.stderrTail.trim()) return lastLines(res.stderrTail) || `exit ${res.code ?? res.killedBy}`
  return null
}

/** Both manifests list the same audio tracks: one HLS rendition per DASH audio set, same language, one default, named by every variant. */
export function audioGroupProblems(mpd: Mpd, master: HlsMaster): string[] {
  const problems: string[] = []
  const reps = mpd.representations.filter((r) => r.contentType === 'audio')
  const media = master.media.filter((m) => m.type === 'AUDIO')
  if (media.length !== reps.length) problems.push(`${HLS_MASTER} lists ${media.length} audio renditions, ${DASH_MANIFEST} ${reps.length}`)
  for (const rep of reps) {
    const m = media.find((x) => x.uri === mediaPlaylist(Number(rep.id)))
    if (!m) problems.push(`${HLS_MASTER} has no audio rendition for representation ${rep.id}`)
    else if ((m.language ?? 'und') !== (rep.lang ?? 'und'))
      problems.push(`representation ${rep.id}: LANGUAGE ${m.language ?? 'none'} in ${HLS_MASTER}, lang ${rep.lang ?? 'none'} in ${DASH_MANIFEST}`)
  }
  if (media.length === 0) return problems
  if (media.filter((m) => m.default).length !== 1) problems.push(`${HLS_MASTER}: ${media.filter((m) => m.default).length} default audio renditions`)
  if (new Set(media.map((m) => m.groupId)).size !== 1) problems.push(`${HLS_MASTER}: audio renditions in several groups`)
  if (new Set(media.map((m) => m.name)).size !== media.length) problems.push(`${HLS_MASTER}: audio rendition names repeat`)
  for (const v of master.variants) if (v.audio !== media[0].groupId) problems.push(`${HLS_MASTER}: ${v.uri} does not name the audio group`)
  return problems
}

/**
 * Checks a finished content directory before it is marked STORED: every segment both manifests list
 * exists and is non-empty, each rendition's duration matches the source within one segment, both
 * manifests agree (segments, audio languages), and the first and last segment of every rendition decode (init + segment).
 */
export async function validateOutput(opts: ValidateOptions): Promise<RenditionSummary[]> {
  const { outDir } = opts
  const problems: string[] = []
  const abs = (rel: string) => path.join(outDir, rel)
  const read = (rel: string) => readFile(abs(rel), 'utf8').catch(() => null)

  const mpdText = await read(DASH_MANIFEST)
  const masterText = await read(HLS_MASTER)
  if (mpdText === null || masterText === null) throw new PipelineError('invalid_output', `missing ${mpdText === null ? DASH_MANIFEST : HLS_MASTER}`)
  const mpd = parseMpd(mpdText)
  const master = parseHlsMaster(masterText)
  if (mpd.type !== 'static') problems.push(`${DASH_MANIFEST} is ${mpd.type}, not static`)
  if (!mpd.representations.some((r) => r.contentType === 'video')) problems.push('no video representation')
  for (const uri of [...master.variants.map((v) => v.uri), ...master.media.map((m) => m.uri)])
    if ((await size(abs(uri))) <= 0) problems.push(`${HLS_MASTER} lists missing ${uri}`)
  problems.push(...audioGroupProblems(mpd, master))

  const sourceS = opts.probe.durationMs / 1000
  const tolerance = opts.segmentDuration + 0.05
  const summaries: RenditionSummary[] = []
  const decodeJobs: { rep: MpdRepresentation; files: string[]; which: string }[] = []

  for (const rep of mpd.representations) {
    const id = Number(rep.id)
    const label = `representation ${rep.id}`
    const playlistName = mediaPlaylist(id)
    const hlsText = await read(playlistName)
    const hls = hlsText === null ? null : parseHlsMediaPlaylist(hlsText)
    if (!hls) problems.push(`${label}: missing ${playlistName}`)
    else {
      if (!hls.ended) problems.push(`${playlistName} has no EXT-X-ENDLIST`)
      if (hls.map !== rep.init) problems.push(`${playlistName} init ${hls.map} differs from ${DASH_MANIFEST} ${rep.init}`)
      if (hls.segments.length !== rep.segments.length)
        problems.push(`${label}: ${DASH_MANIFEST} lists ${rep.segments.length} segments, ${playlistName} ${hls.segments.length}`)
      const hlsS = hls.segments.reduce((a, s) => a + s.durationS, 0)
      if (Math.abs(hlsS - sourceS) > tolerance) problems.push(`${playlistName}: ${hlsS.toFixed(2)} s of segments for a ${sourceS.toFixed(2)} s source`)
    }
    if (rep.segments.length === 0) {
      problems.push(`${label}: no segments`)
      continue
    }
    const dashS = rep.segments.reduce((a, s) => a + s.durationS, 0)
    if (Math.abs(dashS - sourceS) > tolerance) problems.push(`${label}: ${dashS.toFixed(2)} s of segments for a ${sourceS.toFixed(2)} s source`)
    if (
      rep.contentType === 'video' &&
      (rep.width > Math.max(opts.probe.width, opts.probe.height) || rep.height > Math.max(opts.probe.width, opts.probe.height))
    )
      problems.push(`${label}: ${rep.width}×${rep.height} is larger than the source`)

    let bytes = 0
    for (const rel of [rep.init, ...rep.segments.map((s) => s.uri)]) {
      const n = await size(abs(rel))
      if (n <= 0) problems.push(`${rel} is ${n < 0 ? 'missing' : 'empty'}`)
      else bytes += n
    }
    const first = rep.segments[0].uri
    const last = rep.segments[rep.segments.length - 1].uri
    decodeJobs.push({ rep, files: [abs(rep.init), abs(first)], which: first })
    if (last !== first) decodeJobs.push({ rep, files: [abs(rep.init), abs(last)], which: last })

    const kind = rep.contentType === 'audio' ? 'audio' : 'video'
    summaries.push({
      name: opts.names?.get(id) ?? (kind === 'audio' ? 'audio' : `${Math.min(rep.width, rep.height)}p`),
      kind,
      width: rep.width,
      height: rep.height,
      bitrate: rep.bandwidth,
      codecs: rep.codecs,
      bytes,
      segments: rep.segments.length,
      representationId: id,
      playlist: playlistName,
      dir: path.posix.dirname(rep.init),
    })
  }

  // Decode only what exists; missing files are already reported.
  if (problems.length === 0) {
    const queue = [...decodeJobs]
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const error = await decodes(job.files, opts.signal)
        if (error) problems.push(`${job.which} does not decode: ${error}`)
      }
    }
    await Promise.all([worker(), worker()])
  }

  if (problems.length)
    throw new PipelineError(
      'invalid_output',
      `output check failed: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
    )
  return summaries
}
