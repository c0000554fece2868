'use client'

import { useEffect, useState } from 'react'
import { api } from './live'

// Admin tables keep owner ids in their rows; people recognise emails. Each id is looked up once
// per page load (a handful of distinct owners), shared by every cell showing it.

const known = new Map<string, Promise<string | null>>()

function lookup(id: string): Promise<string | null> {
  let found = known.get(id)
  if (!found) {
    found = api<{ email: string; name: string | null }>(`/api/v1/users/${encodeURIComponent(id)}`).then(
      (u) => (u.name ? `${u.name} (${u.email})` : u.email),
      () => null,
    )
    known.set(id, found)
  }
  return found
}

/** The owner's name and email, the id until they are known (or when the user is gone). */
export function OwnerName({ id }: { id: string }) {
  const [label, setLabel] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void lookup(id).then((l) => live && setLabel(l))
    return () => {
      live = false
    }
  }, [id])
  return (
    <span className="block max-w-48 truncate" title={label ? `${label} · ${id}` : id} data-testid="owner-name">
      {label ?? <span className="font-mono text-[11px]">{id}</span>}
    </span>
  )
}
