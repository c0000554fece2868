import type { Metadata } from 'next'
import { ApiReference } from './ApiReference'

export const metadata: Metadata = { title: 'API reference' }

/** The REST API reference, rendered from /api/v1/openapi.json. */
export default function DocsPage() {
  return (
    <main className="min-h-[calc(100vh-3.5rem)] bg-white dark:bg-zinc-950" data-testid="api-docs">
      <noscript>
        <p className="p-8">
          The API reference needs JavaScript. The document itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
        </p>
      </noscript>
      <ApiReference specUrl="/api/v1/openapi.json" scriptUrl="/docs/scalar.js" />
    </main>
  )
}
