import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import { env } from '@/lib/config/env'
import { clientAddress, signInWithPassword } from './sign-in'

// Email + password sign-in; sessions are JWT cookies (next-auth requires JWT for credentials).
// The token carries the user id and session epoch; role, "disabled" and the epoch are re-read per
// request (see actorFromCookies), so a password reset ends the sessions issued before it.
export const authOptions: NextAuthOptions = {
  secret: env().NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
  pages: { signIn: '/signin' },
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null
        const user = await signInWithPassword({ email: credentials.email, password: credentials.password, address: clientAddress(req?.headers) })
        return user ? { id: user.id, email: user.email, name: user.name ?? user.email, role: user.role, epoch: user.sessionEpoch } : null
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id
        token.role = (user as { role?: string }).role
        token.epoch = (user as { epoch?: number }).epoch ?? 0
      }
      return token
    },
    session({ session, token }) {
      if (session.user) Object.assign(session.user, { id: token.uid, role: token.role })
      return session
    },
  },
}
