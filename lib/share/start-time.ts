// The `t` of a shared link: where the video starts. Accepts what people paste: seconds ("90",
// "90.5", "90s") or hours/minutes/seconds ("1h2m3s", "2m"). Anything else is ignored (the video
// then starts as it would without it), never an error: a link must not break over a typo.

const HMS = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6}(?:\.\d+)?)s)?$/

/** Seconds to start at, or undefined when `value` is missing or not a time. */
export function parseStartTime(value: string | string[] | null | undefined): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim().toLowerCase()
  if (!raw) return undefined
  if (/^\d{1,6}(\.\d+)?$/.test(raw)) return Number(raw)
  const m = HMS.exec(raw)
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)
}

/** A link's `t` value for a position: whole seconds, as the share box writes it. */
export const startTimeParam = (seconds: number): string => String(Math.max(0, Math.floor(seconds)))
