'use client'

import { useId, useState } from 'react'
import { formatDuration } from '@/components/gallery/format'
import { embedHtml, embedUrl, watchUrl } from '@/lib/share/links'

/** The modal's Share button; the panel it opens is `SharePanel`, laid out below the title (nothing to clip on a phone). */
export function ShareToggle({ open, onToggle, controls }: { open: boolean; onToggle: () => void; controls: string }) {
  return (
    <button
      type="button"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
      className="flex h-9 items-center gap-1.5 rounded-full px-3 text-sm font-medium text-zinc-700 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-rose-500 aria-expanded:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800 dark:aria-expanded:bg-zinc-800"
    >
      <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4 fill-current">
        <path d="M11 3.5 17.5 9 11 14.5V11c-3.6 0-6 1.1-8 4 .6-4.1 2.8-7.4 8-8V3.5Z" />
      </svg>
      Share
    </button>
  )
}

interface PanelProps {
  id: string
  videoId: string
  title: string
  /** The player's position (whole seconds) when the panel opened. */
  at: number
  /** Public or unlisted: anyone with the link may watch, so the embed code is offered. */
  embeddable: boolean
}

/** The link (optionally starting at the current time) and the embed code, each with Copy. */
export function SharePanel({ id, videoId, title, at, embeddable }: PanelProps) {
  const [withTime, setWithTime] = useState(false)
  const [copied, setCopied] = useState<'link' | 'embed' | null>(null)
  const field = useId()
  const origin = window.location.origin
  const seconds = withTime ? at : undefined
  const link = watchUrl(origin, videoId, seconds)
  const embed = embedHtml(embedUrl(origin, videoId, { seconds }), title, 640, 360)

  const copy = async (what: 'link' | 'embed', text: string) => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied(what)
    } catch {
      setCopied(null)
    }
  }

  return (
    <section id={id} aria-label="Share" className="rounded-xl border border-zinc-200 p-3 text-sm dark:border-zinc-700" data-testid="share-panel">
      <label className="block font-medium" htmlFor={`${field}-link`}>
        Link
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={`${field}-link`}
          readOnly
          value={link}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-2 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
        />
        <CopyButton done={copied === 'link'} onClick={() => void copy('link', link)} label="Copy link" />
      </div>
      <label className="mt-2 flex w-fit items-center gap-2">
        <input
          type="checkbox"
          checked={withTime}
          onChange={(e) => {
            setWithTime(e.target.checked)
            setCopied(null)
          }}
          className="accent-rose-600"
        />
        Start at {formatDuration(at * 1000) ?? '0:00'}
      </label>
      {embeddable && (
        <>
          <label className="mt-3 block font-medium" htmlFor={`${field}-embed`}>
            Embed
          </label>
          <div className="mt-1 flex gap-2">
            <textarea
              id={`${field}-embed`}
              readOnly
              rows={2}
              value={embed}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 resize-none rounded-md border border-zinc-300 bg-zinc-50 px-2 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
            />
            <CopyButton done={copied === 'embed'} onClick={() => void copy('embed', embed)} label="Copy embed code" />
          </div>
        </>
      )}
      <p className="sr-only" aria-live="polite">
        {copied ? 'Copied to the clipboard' : ''}
      </p>
    </section>
  )
}

function CopyButton({ done, onClick, label }: { done: boolean; onClick: () => void; label: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={label}
      className="w-16 shrink-0 self-start rounded-md bg-rose-600 px-3 py-1.5 font-medium text-white hover:bg-rose-500 focus-visible:ring-2 focus-visible:ring-rose-500 focus-visible:ring-offset-2"
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  )
}
