import { operation } from '@/lib/api/operation'
import { itemsOf } from '@/lib/api/pagination'
import { idParams } from '@/lib/api/params'
import { apiKeyView, createApiKeyInput, createdApiKeyView, createOwnApiKey, listApiKeysQuery, listOwnApiKeys, revokeOwnApiKey } from './own-api-keys'
import { assertFormFromThisSite, originHeaders } from './same-origin'
import { clientAddress } from './sign-in'
import { resetPassword, resetPasswordInput, resetPasswordResult } from './password-resets'
import { signUp, signUpInput } from './registration'
import { getMe, meView, userView } from './user-view'

/** The address the sign-in throttle counts a form's failures against. */
const addressOf = (req: Request) => clientAddress(Object.fromEntries(req.headers))

export const apiKeysApi = {
  listApiKeys: operation({
    method: 'get',
    path: '/api/v1/api-keys',
    summary: 'List API keys',
    tag: 'API keys',
    access: { scope: 'read' },
    query: listApiKeysQuery,
    success: { status: 200, description: "The caller's keys, revoked ones marked (admins with `all`: everyone's).", schema: itemsOf(apiKeyView, 'ApiKeyList') },
    handle: async ({ actor, query }) => ({ items: await listOwnApiKeys(actor, query) }),
  }),

  createApiKey: operation({
    method: 'post',
    path: '/api/v1/api-keys',
    summary: 'Create an API key',
    description: 'The secret `key` is in this response only. A key cannot create a key with scopes it lacks.',
    tag: 'API keys',
    access: { scope: 'write' },
    body: { schema: createApiKeyInput },
    success: { status: 201, description: 'Created.', schema: createdApiKeyView },
    handle: ({ actor, body }) => createOwnApiKey(actor, body),
  }),

  revokeApiKey: operation({
    method: 'delete',
    path: '/api/v1/api-keys/{id}',
    summary: 'Revoke an API key',
    description: 'The key stays listed, marked revoked.',
    tag: 'API keys',
    access: { scope: 'write', resource: 'apiKey' },
    params: idParams,
    success: { status: 204, description: 'Done; no body.' },
    handle: ({ actor, params }) => revokeOwnApiKey(actor, params.id),
  }),
}

export const usersApi = {
  getMe: operation({
    method: 'get',
    path: '/api/v1/users/me',
    summary: 'The caller',
    tag: 'Users',
    access: { scope: 'read' },
    success: { status: 200, description: "The user behind the session or key, with the key's scopes.", schema: meView },
    handle: ({ actor }) => getMe(actor),
  }),

  signUp: operation({
    method: 'post',
    path: '/api/v1/users/signup',
    summary: 'Sign up',
    description:
      "Makes a normal account, as the site's `REGISTRATION` setting allows: `open` anyone, `invite` with the token of an unused, unexpired invite link (used up by this call), `closed` nobody (403). Sign in afterwards with the same email and password. Failed invite tokens are throttled per address like failed sign-ins (429).",
    tag: 'Users',
    access: { auth: 'none', scope: null },
    body: { schema: signUpInput },
    success: { status: 201, description: 'The new account.', schema: userView },
    errors: [403, 409, 422, 429],
    handle: ({ req, body }) => {
      assertFormFromThisSite(originHeaders(req.headers))
      return signUp(body, { address: addressOf(req) })
    },
  }),

  resetPassword: operation({
    method: 'post',
    path: '/api/v1/users/password-reset',
    summary: 'Set a new password with a reset link',
    description:
      'The token of a one-time reset link an admin made (`POST /api/v1/users/{id}/password-reset`). Works once and until it expires; every session the account had ends. Failed tokens are throttled per address like failed sign-ins (429).',
    tag: 'Users',
    access: { auth: 'none', scope: null },
    body: { schema: resetPasswordInput },
    success: { status: 200, description: 'Done: sign in with the new password.', schema: resetPasswordResult },
    errors: [403, 422, 429],
    handle: ({ req, body }) => {
      assertFormFromThisSite(originHeaders(req.headers))
      return resetPassword(body, { address: addressOf(req) })
    },
  }),
}
