// Seek previews: a WebVTT file whose cues point at regions of sprite images
// (`sprite.jpg#xywh=x,y,w,h`). Parsed once; looked up on every pointer move.

export interface StoryboardCue {
  start: number
  end: number
  url: string
  x: number
  y: number
  w: number
  h: number
}

const TIME_RE = /^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/

export function parseVttTime(s: string): number | null {
  const m = TIME_RE.exec(s.trim())
  if (!m) return null
  const [, h, min, sec, ms] = m
  return Number(h ?? 0) * 3600 + Number(min) * 60 + Number(sec) + Number((ms ?? '0').padEnd(3, '0')) / 1000
}

/** Cues from a storyboard VTT; image URLs are resolved against `baseUrl` (the VTT's own URL). */
export function parseStoryboard(vtt: string, baseUrl: string): StoryboardCue[] {
  const cues: StoryboardCue[] = []
  const lines = vtt.replace(/\r\n?/g, '\n').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const arrow = lines[i].indexOf('-->')
    if (arrow < 0) continue
    const start = parseVttTime(lines[i].slice(0, arrow))
    const end = parseVttTime(
      lines[i]
        .slice(arrow + 3)
        .trim()
        .split(/\s+/)[0],
    )
    const payload = (lines[i + 1] ?? '').trim()
    if (start === null || end === null || !payload) continue
    const hash = payload.lastIndexOf('#xywh=')
    const ref = hash >= 0 ? payload.slice(0, hash) : payload
    const [x, y, w, h] =
      hash >= 0
        ? payload
            .slice(hash + 6)
            .split(',')
            .map(Number)
        : [0, 0, 0, 0]
    let url: string
    try {
      url = new URL(ref, new URL(baseUrl, 'http://localhost')).toString()
      if (!/^[a-z]+:\/\//i.test(baseUrl)) url = url.replace(/^http:\/\/localhost/, '')
    } catch {
      continue
    }
    if (![x, y, w, h].every(Number.isFinite)) continue
    cues.push({ start, end, url, x, y, w, h })
    i++
  }
  return cues.sort((a, b) => a.start - b.start)
}

/** The cue covering time `t` (binary search), or the nearest one before it. */
export function storyboardAt(cues: StoryboardCue[], t: number): StoryboardCue | null {
  let lo = 0
  let hi = cues.length - 1
  let found: StoryboardCue | null = null
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (cues[mid].start <= t) {
      found = cues[mid]
      lo = mid + 1
    } else hi = mid - 1
  }
  return found ?? cues[0] ?? null
}
