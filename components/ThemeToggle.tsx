'use client'

import { useEffect, useState } from 'react'

export const THEME_KEY = 'reelhouse:theme'

/** Runs before first paint (inlined in the root layout) so the saved or system theme never flashes. */
export const THEME_SCRIPT = `try{var t=localStorage.getItem('${THEME_KEY}');var d=t?t==='dark':matchMedia('(prefers-color-scheme: dark)').matches;var e=document.documentElement;e.classList.toggle('dark',d);e.style.colorScheme=d?'dark':'light'}catch(_){}`

export function ThemeToggle() {
  const [dark, setDark] = useState<boolean | null>(null)
  useEffect(() => setDark(document.documentElement.classList.contains('dark')), [])

  const toggle = () => {
    const next = !document.documentElement.classList.contains('dark')
    document.documentElement.classList.toggle('dark', next)
    document.documentElement.style.colorScheme = next ? 'dark' : 'light'
    try {
      localStorage.setItem(THEME_KEY, next ? 'dark' : 'light')
    } catch {
      /* the choice lasts for this page only */
    }
    setDark(next)
  }

  const label = dark === null ? 'Toggle theme' : dark ? 'Switch to light theme' : 'Switch to dark theme'
  return (
    <button
      type="button"
      onClick={toggle}
      aria-label={label}
      title={label}
      className="flex h-8 w-8 items-center justify-center rounded-full text-zinc-600 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <svg aria-hidden viewBox="0 0 20 20" className="hidden h-[18px] w-[18px] fill-current dark:block">
        <path d="M10 3a1 1 0 0 1 1 1v1a1 1 0 1 1-2 0V4a1 1 0 0 1 1-1Zm0 4a3 3 0 1 1 0 6 3 3 0 0 1 0-6Zm7 2a1 1 0 1 1 0 2h-1a1 1 0 1 1 0-2h1ZM5 10a1 1 0 0 1-1 1H3a1 1 0 1 1 0-2h1a1 1 0 0 1 1 1Zm5 5a1 1 0 0 1 1 1v1a1 1 0 1 1-2 0v-1a1 1 0 0 1 1-1Zm4.95-9.36a1 1 0 0 1 0 1.41l-.7.71a1 1 0 1 1-1.42-1.41l.71-.71a1 1 0 0 1 1.41 0ZM7.17 12.83a1 1 0 0 1 0 1.41l-.71.71a1 1 0 1 1-1.41-1.41l.7-.71a1 1 0 0 1 1.42 0Zm7.78 2.12a1 1 0 0 1-1.41 0l-.71-.71a1 1 0 1 1 1.42-1.41l.7.7a1 1 0 0 1 0 1.42ZM7.17 7.17a1 1 0 0 1-1.42 0l-.7-.71a1 1 0 0 1 1.41-1.41l.71.7a1 1 0 0 1 0 1.42Z" />
      </svg>
      <svg aria-hidden viewBox="0 0 20 20" className="h-[18px] w-[18px] fill-current dark:hidden">
        <path d="M8.3 2.6a.75.75 0 0 1 .2.86 6 6 0 0 0 8.04 8.04.75.75 0 0 1 .99.99A7.5 7.5 0 1 1 7.51 2.4a.75.75 0 0 1 .8.2Z" />
      </svg>
    </button>
  )
}
