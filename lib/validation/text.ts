import { z } from 'zod'

// C0 controls (tab, newline and carriage return allowed in multi-line text), DEL and the C1 block.
// PostgreSQL refuses NUL in text outright; the others only hide or reorder what a reader sees.
const MULTILINE_ALLOWED = new Set([0x09, 0x0a, 0x0d])

/** True when `s` holds a character no stored text field accepts (NUL and other controls). */
export function hasControlCharacters(s: string, multiline = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if ((c < 0x20 || (c >= 0x7f && c <= 0x9f)) && !(multiline && MULTILINE_ALLOWED.has(c))) return true
  }
  return false
}

/**
 * The one rule for human-written text (titles, names, descriptions, search): trimmed, at most
 * `max` characters, no control characters (descriptions may keep tab and newlines).
 */
export function plainText(opts: { max: number; min?: number; multiline?: boolean }) {
  const base = z.string().trim().max(opts.max)
  const sized = opts.min ? base.min(opts.min, opts.min === 1 ? 'must not be empty' : `at least ${opts.min} characters`) : base
  return sized.refine((s) => !hasControlCharacters(s, opts.multiline), {
    message: opts.multiline ? 'must not contain control characters other than tab and newline' : 'must not contain control characters',
  })
}

/** Identifiers in paths and queries: printable, no controls, bounded. */
export const idString = (max = 64) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !hasControlCharacters(s), { message: 'must not contain control characters' })
