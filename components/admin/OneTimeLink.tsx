'use client'

import { useState } from 'react'
import { Button, cx, inputClass } from './ui'

/** A freshly made invite or reset link, shown once: it cannot be read back later (only its hash is kept). */
export function OneTimeLink({ label, url, expiresAt, testId }: { label: string; url: string; expiresAt: string; testId?: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div data-testid={testId} className="space-y-1 rounded-md border border-emerald-300 bg-emerald-50 p-2 text-xs dark:border-emerald-800 dark:bg-emerald-950">
      <p className="font-medium text-emerald-900 dark:text-emerald-200">{label}</p>
      <div className="flex gap-1">
        <input
          aria-label={label}
          readOnly
          value={url}
          className={cx(inputClass, 'min-w-0 flex-1 py-1 font-mono text-xs')}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true))
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="text-emerald-900/80 dark:text-emerald-200/80">
        Works once, until {new Date(expiresAt).toLocaleString()}. Shown only now: copy it and hand it over.
      </p>
    </div>
  )
}
