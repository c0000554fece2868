import { inject } from 'vitest'
import { s3Env } from '@/lib/launcher/local-s3/server'

// The `s3` project's code runs with CONTENT_STORE=s3 against the server the global set-up started.
Object.assign(process.env, s3Env(inject('s3')))
