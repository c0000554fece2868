import { describe, expect, it, vi } from 'vitest'
import { AppError, toProblem } from '@/lib/errors'

describe('AppError', () => {
  it('is recognised across two copies of its module (route bundle and server graph), so a relayed refusal stays a 4xx', async () => {
    vi.resetModules()
    // A query string makes the module loader evaluate the file again: a second, separate class.
    const second = '@/lib/errors/app-error?second-copy'
    const copy = (await import(/* @vite-ignore */ second)) as typeof import('@/lib/errors/app-error')
    expect(copy.AppError).not.toBe(AppError)
    const relayed = new copy.AppError('FORBIDDEN', 'Only the owner.')
    expect(relayed instanceof AppError).toBe(true)
    expect(toProblem(relayed).status).toBe(403)
    expect(new Error('plain') instanceof AppError).toBe(false)
    expect(Object.assign(new Error('look-alike'), { code: 'FORBIDDEN', name: 'AppError' }) instanceof AppError).toBe(false)
  })
})
