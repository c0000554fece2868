// A session event's data as a person reads it ("progress 42 % · speed 2.40× realtime"),
// instead of the JSON it is stored as.

export interface EventDetail {
  label: string
  value: string
}

const LABELS: Record<string, string> = {
  afterMs: 'after',
  encodeSpeed: 'speed',
  runAt: 'next try',
  segmentsReady: 'segments ready',
  segmentsTotal: 'segments total',
  wallMs: 'took',
  videoId: 'video',
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`)

function formatValue(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') {
    if (key === 'percent') return `${value.toFixed(value < 10 ? 1 : 0)} %`
    if (key === 'speed' || key === 'encodeSpeed') return `${value.toFixed(2)}× realtime`
    if (key.endsWith('Ms')) return seconds(value)
    return String(value)
  }
  if (typeof value === 'string') {
    if (key.endsWith('At') && !Number.isNaN(Date.parse(value))) return new Date(value).toLocaleTimeString()
    return value
  }
  if (value === null || value === undefined) return '—'
  const json = JSON.stringify(value)
  return json.length > 80 ? `${json.slice(0, 80)}…` : json
}

const labelOf = (key: string) => LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()

export function eventDetails(data: Record<string, unknown>): EventDetail[] {
  return (
    Object.entries(data)
      // ProgressUpdate carries both `progress` (0..1) and `percent`; one is enough.
      .filter(([key, value]) => value !== undefined && !(key === 'progress' && 'percent' in data))
      .map(([key, value]) => ({ label: labelOf(key), value: formatValue(key, value) }))
  )
}
