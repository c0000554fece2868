import { operation } from '@/lib/api/operation'
import { itemsOf } from '@/lib/api/pagination'
import { idParams } from '@/lib/api/params'
import { apiKeyView, createApiKeyInput, createdApiKeyView, createOwnApiKey, listApiKeysQuery, listOwnApiKeys, revokeOwnApiKey } from './own-api-keys'
import { getMe, meView } from './user-view'

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
}
