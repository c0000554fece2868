'use client'

import { useEffect, useRef, useState } from 'react'

interface ScalarGlobal {
  createApiReference(el: HTMLElement, config: Record<string, unknown>): { destroy?: () => void }
}

/** Loads the renderer script once and mounts it on a div; everything is served from this origin. */
export function ApiReference({ specUrl, scriptUrl }: { specUrl: string; scriptUrl: string }) {
  const el = useRef<HTMLDivElement>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let app: { destroy?: () => void } | undefined
    let cancelled = false
    const mount = () => {
      const scalar = (window as unknown as { Scalar?: ScalarGlobal }).Scalar
      if (cancelled || !el.current) return
      if (!scalar) return setError('The API reference renderer did not load.')
      app = scalar.createApiReference(el.current, {
        url: specUrl,
        // Self-hosted: no fonts, telemetry, AI agent or proxy from the renderer's vendor.
        withDefaultFonts: false,
        telemetry: false,
        agent: { disabled: true },
        mcp: { disabled: true },
        hideClientButton: true,
        showDeveloperTools: 'never',
        documentDownloadType: 'json',
        theme: 'default',
        layout: 'modern',
      })
    }
    let script = document.querySelector<HTMLScriptElement>(`script[src="${scriptUrl}"]`)
    if (script?.dataset.loaded) mount()
    else {
      script ??= Object.assign(document.createElement('script'), { src: scriptUrl, async: true })
      script.addEventListener('load', () => {
        script!.dataset.loaded = '1'
        mount()
      })
      script.addEventListener('error', () => setError('The API reference renderer did not load.'))
      if (!script.isConnected) document.body.appendChild(script)
    }
    return () => {
      cancelled = true
      app?.destroy?.()
    }
  }, [specUrl, scriptUrl])

  return (
    <>
      {error && (
        <p role="alert" className="p-8 text-red-600">
          {error} The document is at{' '}
          <a className="underline" href={specUrl}>
            {specUrl}
          </a>
          .
        </p>
      )}
      <div ref={el} data-testid="api-reference" />
    </>
  )
}
