import { afterAll, describe, expect, it } from 'vitest'
import { db, disconnectDb } from '@/lib/db'
import { base, userWithKey } from '../api/client'
import { postCredentials, signInCookie } from '../security/http'

// Sign-up, invite links and password reset links over HTTP against the shared server, which runs
// with the default REGISTRATION=invite. Every refusal is a problem+json 4xx and changes nothing.

afterAll(disconnectDb)

const unique = (who: string) => `${who}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@accounts.test`

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null }
}

async function makeInvite(auth: Record<string, string>, body: unknown = {}) {
  const res = await post('/api/v1/admin/invites', body, auth)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { id: string; url: string; expiresAt: string; state: string }
}

const tokenOf = (url: string) => new URL(url).searchParams.get('invite')!

async function signsIn(email: string, password: string): Promise<boolean> {
  const res = await postCredentials(base(), { email, password }, { origin: base() })
  return res.headers.getSetCookie().some((c) => c.includes('next-auth.session-token='))
}

describe('sign-up with REGISTRATION=invite', () => {
  it('refuses sign-up without an invite, with a 403 problem saying so', async () => {
    const email = unique('uninvited')
    const res = await post('/api/v1/users/signup', { email, password: 'password-123' })
    expect(res.status).toBe(403)
    expect(res.type).toContain('application/problem+json')
    expect(res.body.detail).toMatch(/invitation/)
    expect(await db.user.findUnique({ where: { email } })).toBeNull()
  })

  it('makes one account per invite link, signed in with the chosen password; a reused link is refused', async () => {
    const admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const invite = await makeInvite(admin.auth)
    expect(invite.url).toMatch(new RegExp(`^${base()}/signup\\?invite=[A-Za-z0-9_-]{43}$`))
    expect(invite.state).toBe('open')
    expect(Date.parse(invite.expiresAt) - Date.now()).toBeGreaterThan(6 * 24 * 3600_000)

    const email = unique('invited')
    const made = await post('/api/v1/users/signup', { email, password: 'password-123', name: 'Invited', invite: tokenOf(invite.url) })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body).toMatchObject({ email, name: 'Invited', role: 'USER', disabled: false })
    expect(await signsIn(email, 'password-123')).toBe(true)

    const again = await post('/api/v1/users/signup', { email: unique('second'), password: 'password-123', invite: tokenOf(invite.url) })
    expect(again.status).toBe(403)
    expect(again.body.detail).toMatch(/used already/)

    const listed = await fetch(`${base()}/api/v1/admin/invites`, { headers: admin.auth }).then((r) => r.json())
    const row = listed.items.find((i: { id: string }) => i.id === invite.id)
    expect(row).toMatchObject({ state: 'used', usedBy: email, createdBy: admin.user.email })
    // The link's token is nowhere in what can be read back; only its hash is stored.
    expect(JSON.stringify(listed)).not.toContain(tokenOf(invite.url))
    expect(JSON.stringify(await db.invite.findUnique({ where: { id: invite.id } }))).not.toContain(tokenOf(invite.url))
  })

  it('refuses expired, withdrawn, unknown and malformed invite tokens, and leaves the invite unused on a taken email', async () => {
    const admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const signUp = (invite: string, email = unique('refused')) => post('/api/v1/users/signup', { email, password: 'password-123', invite })

    const expired = await makeInvite(admin.auth, { expiresInHours: 1 })
    await db.invite.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await signUp(tokenOf(expired.url))).body.detail).toMatch(/expired/)

    const withdrawn = await makeInvite(admin.auth)
    const del = await fetch(`${base()}/api/v1/admin/invites/${withdrawn.id}`, { method: 'DELETE', headers: admin.auth })
    expect(del.status).toBe(204)
    const r = await signUp(tokenOf(withdrawn.url))
    expect(r.status).toBe(403)
    expect(r.body.detail).toMatch(/withdrawn/)

    const unknown = await signUp('A'.repeat(43))
    expect(unknown.status).toBe(403)
    expect(unknown.body.detail).toMatch(/not valid/)

    const malformed = await signUp('short')
    expect(malformed.status).toBe(422)
    expect(malformed.body.errors[0].path).toBe('invite')

    // An email that has an account already: 409, and the link still works for someone else.
    const open = await makeInvite(admin.auth)
    const taken = await signUp(tokenOf(open.url), admin.user.email)
    expect(taken.status).toBe(409)
    expect((await db.invite.findUnique({ where: { id: open.id } }))?.usedAt).toBeNull()
    expect((await signUp(tokenOf(open.url))).status).toBe(201)
  })

  it('refuses bad input with 422 and names the field', async () => {
    const admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const invite = tokenOf((await makeInvite(admin.auth)).url)
    for (const [body, field] of [
      [{ email: 'not-an-email', password: 'password-123', invite }, 'email'],
      [{ email: unique('short'), password: 'short', invite }, 'password'],
      [{ email: unique('ctl'), password: 'password-123', name: 'a\u0007b', invite }, 'name'],
      [{ email: unique('extra'), password: 'password-123', invite, role: 'ADMIN' }, ''],
    ] as const) {
      const res = await post('/api/v1/users/signup', body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(res.type).toContain('application/problem+json')
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field)
    }
    expect((await post('/api/v1/admin/invites', { expiresInHours: 0 }, admin.auth)).status).toBe(422)
    expect((await post('/api/v1/admin/invites', { expiresInHours: 'soon' }, admin.auth)).status).toBe(422)
    // None of them used the invite.
    expect((await post('/api/v1/users/signup', { email: unique('after'), password: 'password-123', invite })).status).toBe(201)
  })

  it('refuses a sign-up sent from another site, and lets scripts (no Origin) through', async () => {
    const admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const invite = tokenOf((await makeInvite(admin.auth)).url)
    const email = unique('csrf')
    const cross = await post('/api/v1/users/signup', { email, password: 'password-123', invite }, { origin: 'http://evil.test' })
    expect(cross.status).toBe(403)
    expect(cross.body.detail).toMatch(/Cross-site/)
    const crossFetch = await post('/api/v1/users/signup', { email, password: 'password-123', invite }, { 'sec-fetch-site': 'cross-site' })
    expect(crossFetch.status).toBe(403)
    expect(await db.user.findUnique({ where: { email } })).toBeNull()
    expect((await post('/api/v1/users/signup', { email, password: 'password-123', invite }, { origin: base() })).status).toBe(201)
  })

  it('keeps invites to admins', async () => {
    const user = await userWithKey('USER')
    const adminWithoutScope = await userWithKey('ADMIN', ['read', 'write'])
    expect((await post('/api/v1/admin/invites', {}, user.auth)).status).toBe(403)
    expect((await post('/api/v1/admin/invites', {}, adminWithoutScope.auth)).status).toBe(403)
    expect((await post('/api/v1/admin/invites', {})).status).toBe(401)
    expect((await fetch(`${base()}/api/v1/admin/invites`, { headers: user.auth })).status).toBe(403)
  })
})

describe('password reset links', () => {
  it('sets the new password once: the old one fails, the new one works, old sessions end, the link cannot be reused', async () => {
    const admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const { user } = await userWithKey('USER')
    const oldCookie = await signInCookie(user.email, 'password-123')
    expect((await fetch(`${base()}/api/v1/users/me`, { headers: { cookie: oldCookie } })).status).toBe(200)

    const first = await post(`/api/v1/users/${user.id}/password-reset`, {}, admin.auth)
    expect(first.status).toBe(201)
    const link = await post(`/api/v1/users/${user.id}/password-reset`, {}, admin.auth)
    expect(link.body.url).toMatch(new RegExp(`^${base()}/reset/[A-Za-z0-9_-]{43}$`))
    expect(Date.parse(link.body.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3600_000)
    const token = link.body.url.split('/').pop()
    // A newer link replaces the older one.
    expect((await post('/api/v1/users/password-reset', { token: first.body.url.split('/').pop(), password: 'first-link-pw' })).status).toBe(403)

    const tooShort = await post('/api/v1/users/password-reset', { token, password: 'short' })
    expect(tooShort.status).toBe(422)
    expect(tooShort.body.errors[0].path).toBe('password')

    const done = await post('/api/v1/users/password-reset', { token, password: 'brand-new-password' })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(done.body).toEqual({ email: user.email })
    expect(await signsIn(user.email, 'password-123')).toBe(false)
    expect(await signsIn(user.email, 'brand-new-password')).toBe(true)
    expect((await fetch(`${base()}/api/v1/users/me`, { headers: { cookie: oldCookie } })).status).toBe(401)
    const fresh = await signInCookie(user.email, 'brand-new-password')
    expect((await fetch(`${base()}/api/v1/users/me`, { headers: { cookie: fresh } })).status).toBe(200)

    const reused = await post('/api/v1/users/password-reset', { token, password: 'another-password' })
    expect(reused.status).toBe(403)
    expect(reused.body.detail).toMatch(/used already/)
    expect(await signsIn(user.email, 'brand-new-password')).toBe(true)
    // Only a hash of the token is stored.
    expect(JSON.stringify(await db.passwordReset.findMany({ where: { userId: user.id } }))).not.toContain(token)
  })

  it('refuses expired, unknown and malformed links, other users and cross-site posts', async () => {
    const admin = await userWithKey('ADMIN', ['read', 'write', 'admin'])
    const { user, auth } = await userWithKey('USER')
    const other = await userWithKey('USER')
    expect((await post(`/api/v1/users/${user.id}/password-reset`, {}, other.auth)).status).toBe(403)
    expect((await post(`/api/v1/users/${user.id}/password-reset`, {}, auth)).status).toBe(403)
    expect((await post(`/api/v1/users/${user.id}/password-reset`, {})).status).toBe(401)
    expect((await post('/api/v1/users/no-such-user/password-reset', {}, admin.auth)).status).toBe(404)

    const link = await post(`/api/v1/users/${user.id}/password-reset`, {}, admin.auth)
    const token = link.body.url.split('/').pop()
    const cross = await post('/api/v1/users/password-reset', { token, password: 'cross-site-pw' }, { origin: 'http://evil.test' })
    expect(cross.status).toBe(403)
    await db.passwordReset.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const expired = await post('/api/v1/users/password-reset', { token, password: 'expired-link-pw' })
    expect(expired.status).toBe(403)
    expect(expired.body.detail).toMatch(/expired/)
    const unknown = await post('/api/v1/users/password-reset', { token: 'B'.repeat(43), password: 'unknown-link-pw' })
    expect(unknown.status).toBe(403)
    expect(unknown.type).toContain('application/problem+json')
    expect((await post('/api/v1/users/password-reset', { token: '../../etc', password: 'password-123' })).status).toBe(422)
    expect((await post('/api/v1/users/password-reset', { password: 'password-123' })).status).toBe(422)
    expect(await signsIn(user.email, 'password-123')).toBe(true)
  })
})
