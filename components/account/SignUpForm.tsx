'use client'

import { useState } from 'react'
import { FormError, labelClass, fieldClass, postForm, signInAndGoHome, submitClass } from './form-kit'

/** Email, optional name and password; with `invite` the link's token goes along. */
export function SignUpForm({ invite }: { invite?: string }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const email = String(form.get('email'))
    const password = String(form.get('password'))
    const name = String(form.get('name') ?? '').trim()
    setBusy(true)
    setError(null)
    const refused = await postForm('/api/v1/users/signup', { email, password, ...(name ? { name } : {}), ...(invite ? { invite } : {}) })
    if (refused) {
      setError(refused)
      setBusy(false)
      return
    }
    if (!(await signInAndGoHome(email, password))) {
      setError('Your account is ready, but signing in failed: try again on the sign-in page.')
      setBusy(false)
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <label className={labelClass}>
        Email
        <input name="email" type="email" autoComplete="email" required className={fieldClass} />
      </label>
      <label className={labelClass}>
        Name (optional)
        <input name="name" type="text" autoComplete="name" maxLength={100} className={fieldClass} />
      </label>
      <label className={labelClass}>
        Password
        <input name="password" type="password" autoComplete="new-password" minLength={8} required className={fieldClass} aria-describedby="password-rule" />
      </label>
      <p id="password-rule" className="-mt-2 text-xs text-zinc-500">
        At least 8 characters.
      </p>
      <FormError error={error} />
      <button type="submit" disabled={busy} className={submitClass}>
        {busy ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  )
}
