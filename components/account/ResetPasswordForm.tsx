'use client'

import { useState } from 'react'
import { FormError, labelClass, fieldClass, postForm, signInAndGoHome, submitClass } from './form-kit'

/** The new password for the account a reset link names; signs in with it afterwards. */
export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const password = String(form.get('password'))
    if (password !== String(form.get('confirm'))) {
      setError('The two passwords differ.')
      return
    }
    setBusy(true)
    setError(null)
    const refused = await postForm('/api/v1/users/password-reset', { token, password })
    if (refused) {
      setError(refused)
      setBusy(false)
      return
    }
    if (!(await signInAndGoHome(email, password))) {
      setError('Your password is changed, but signing in failed: try again on the sign-in page.')
      setBusy(false)
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <label className={labelClass}>
        New password
        <input name="password" type="password" autoComplete="new-password" minLength={8} required className={fieldClass} />
      </label>
      <label className={labelClass}>
        Repeat the new password
        <input name="confirm" type="password" autoComplete="new-password" minLength={8} required className={fieldClass} />
      </label>
      <p className="-mt-2 text-xs text-zinc-500">At least 8 characters. Setting it signs this account out everywhere it was signed in.</p>
      <FormError error={error} />
      <button type="submit" disabled={busy} className={submitClass}>
        {busy ? 'Saving…' : 'Set password and sign in'}
      </button>
    </form>
  )
}
