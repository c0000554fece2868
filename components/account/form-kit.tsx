'use client'

import { signIn } from 'next-auth/react'

// What the account forms (sign-up, password reset) share: the field look, the JSON POST that reads
// a problem+json refusal into one sentence, and signing in afterwards through next-auth.

export const fieldClass =
  'w-full rounded-md border border-zinc-300 bg-white px-3 py-2 outline-none focus-visible:ring-2 focus-visible:ring-rose-500 dark:border-zinc-700 dark:bg-zinc-900'

export const submitClass = 'rounded-md bg-rose-600 px-4 py-2 font-medium text-white hover:bg-rose-500 disabled:opacity-60'

/** POSTs JSON; resolves to null on success, else the refusal in words (field messages included). */
export async function postForm(path: string, body: unknown): Promise<string | null> {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (res.ok) return null
  const p = (await res.json().catch(() => ({}))) as { detail?: string; errors?: { path: string; message: string }[] }
  if (p.errors?.length) return p.errors.map((e) => `${e.path ? `${e.path[0].toUpperCase()}${e.path.slice(1)} ` : ''}${e.message}`).join('. ')
  return p.detail ?? `Something went wrong (HTTP ${res.status}).`
}

/** Signs in and goes home; false when sign-in refused (throttled, or the account is disabled). */
export async function signInAndGoHome(email: string, password: string): Promise<boolean> {
  const res = await signIn('credentials', { email, password, redirect: false })
  if (!res?.ok) return false
  window.location.assign('/')
  return true
}

export const labelClass = 'flex flex-col gap-1 text-sm'

export function FormError({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <p role="alert" className="text-sm text-red-600">
      {error}
    </p>
  )
}
