import { z } from 'zod'

/** A BCP 47 tag, in its canonical form (`EN-us` → `en-US`); anything Intl refuses is refused. */
export const languageTag = z
  .string()
  .trim()
  .min(1)
  .max(35)
  .transform((tag, ctx) => {
    try {
      return Intl.getCanonicalLocales(tag)[0]
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag, e.g. "en", "fr-CA", "zh-Hant"' })
      return z.NEVER
    }
  })

/** The language's own name in that language ("Français"), the label a track gets when none is given. */
export function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag)
    return name ? name.charAt(0).toLocaleUpperCase(tag) + name.slice(1) : tag
  } catch {
    return tag
  }
}
