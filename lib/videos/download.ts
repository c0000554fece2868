// The file name a downloaded original gets: the video's title made safe for every file system
// (no path separators, control or reserved characters, no trailing dots or spaces), with the
// extension of the container the original really is.

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we replace
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*]+/g
/** Names Windows reserves whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i
const MAX_NAME_CHARS = 120

export function downloadFilename(title: string, extension: string): string {
  let name = title.normalize('NFC').replace(UNSAFE, '_').replace(/\s+/g, ' ').trim()
  name = Array.from(name).slice(0, MAX_NAME_CHARS).join('')
  name = name.replace(/[. ]+$/, '').replace(/^[. ]+/, '')
  if (!name || RESERVED.test(name)) name = name ? `${name}_` : 'video'
  return `${name}${extension}`
}
